package dev.tlab.deploy;

import static dev.tlab.deploy.KubernetesManifestsTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The images, read by the Docker language server's parser and linter (no Docker engine runs here): each copies the
 * Quarkus fast-jar, exposes its port and checks /q/health/ready; every base image is pinned by digest; the GPU image
 * builds its own application with -Dgpu from the sources (so the documented {@code docker compose --profile gpu up
 * --build} works whatever the host built last), downloads libtorch in a stage that depends on nothing of the
 * application, checks the archive's sha256, stages a reproducible folder, and checks at build time that every library
 * DJL will load finds what it needs.
 */
class DockerfilesTest {

    static final String DIGEST = "sha256:[0-9a-f]{64}";

    @Test
    void everyDockerfileIsWellFormedAndABrokenOneIsNot() {
        for (Dockerfiles.Parsed file : Dockerfiles.all().values()) {
            assertEquals(List.of(), file.errors(), file.name() + " (" + file.schema() + ")");
        }
        Dockerfiles.Parsed broken = Dockerfiles.parse(Map.of(
                        "broken",
                        "FROM eclipse-temurin:17-jre\nCOPY --frm=build a b\nHEALTHCHEK CMD true\nEXPOSE http\n"))
                .get("broken");
        assertEquals(3, broken.errors().size(), broken.errors().toString());
        assertTrue(
                broken.errors().get(0).contains("Unknown flag: frm"),
                broken.errors().toString());
    }

    @Test
    void jvmImagesCopyQuarkusAppAndExposeThePort() {
        for (Map.Entry<String, Integer> e : KubernetesManifestsTest.SERVICES.entrySet()) {
            Dockerfiles.Stage runtime = Dockerfiles.of(e.getKey() + "/src/main/docker/Dockerfile.jvm")
                    .runtime();
            assertServes(runtime, e.getKey(), e.getValue());
            assertEquals(
                    Set.of(
                            "target/quarkus-app/lib/",
                            "target/quarkus-app/*.jar",
                            "target/quarkus-app/app/",
                            "target/quarkus-app/quarkus/"),
                    runtime.contextCopies().stream()
                            .flatMap(i -> i.sources().stream())
                            .collect(Collectors.toSet()),
                    e.getKey() + ": the fast-jar, layer by layer");
        }
    }

    /**
     * A tag moves (eclipse-temurin:17-jre is rebuilt every few weeks), a digest does not: every FROM that is not an
     * earlier stage names its image by tag and digest, and the lab's four images run the same JRE.
     */
    @Test
    void everyBaseImageIsPinnedByDigestAndAllRunOneJre() {
        Set<String> jres = new HashSet<>();
        for (Dockerfiles.Parsed file : Dockerfiles.all().values()) {
            for (Dockerfiles.Stage stage : file.built()) {
                if (file.parent(stage).isPresent()) {
                    continue;
                }
                assertTrue(
                        stage.tag() != null
                                && stage.digest() != null
                                && stage.digest().matches(DIGEST),
                        file.name() + ": FROM " + stage.from() + " must be <image>:<tag>@sha256:<64 hex>");
                if (stage.image().startsWith("eclipse-temurin:17-jre")) {
                    jres.add(stage.image());
                }
            }
        }
        assertEquals(1, jres.size(), "one JRE for all images: " + jres);
        Dockerfiles.Parsed cuda = Dockerfiles.of(Dockerfiles.CUDA);
        assertEquals(jres.iterator().next(), cuda.stage("jre").image(), "the GPU image copies that same JRE");
        assertTrue(
                cuda.runtime().instructions().stream()
                        .anyMatch(i -> i.keyword().equals("COPY")
                                && "jre".equals(i.flags().get("from"))
                                && i.sources().equals(List.of("/opt/java/openjdk"))),
                "the runtime stage copies the JRE from stage jre");
    }

    /**
     * docker compose --profile gpu up --build (and the documented docker build) must make an image that runs: the GPU
     * image may take no application file from the build context's target/, which holds whatever the host built last
     * (the documented `mvn package` makes the CPU build, which the image refuses). It builds the trainer itself, with
     * -Dgpu, from the sources in the context, and compose builds it from the repository root.
     */
    @Test
    void theGpuImageBuildsItsOwnApplicationWithoutTheCpuNatives() {
        Map<String, Object> gpu =
                map(map(DeployFiles.snakeYaml(DeployFiles.repoRoot().resolve("docker-compose.yml"))
                                .get("services"))
                        .get("trainer-service-gpu"));
        Map<String, Object> build = map(gpu.get("build"));
        Path context = DeployFiles.repoRoot()
                .resolve(String.valueOf(build.get("context")))
                .normalize();
        assertEquals(DeployFiles.repoRoot(), context, "compose builds the GPU image from the repository root");
        assertEquals(
                Dockerfiles.path(Dockerfiles.CUDA),
                context.resolve(String.valueOf(build.get("dockerfile"))).normalize());

        Dockerfiles.Parsed cuda = Dockerfiles.of(Dockerfiles.CUDA);
        for (Dockerfiles.Stage stage : cuda.built()) {
            for (Dockerfiles.Instruction copy : stage.contextCopies()) {
                for (String source : copy.sources()) {
                    assertFalse(
                            source.contains("target/"),
                            "stage " + stage.name() + " line " + copy.line() + " copies " + source
                                    + " from the host's build output");
                }
            }
        }
        Dockerfiles.Stage builder = cuda.stage("build");
        String maven = builder.runs();
        assertTrue(
                maven.contains("./mvnw ") && maven.contains(" -Dgpu ") && maven.contains("-pl trainer-service -am"),
                "the build stage packages the trainer with -Dgpu: " + maven);
        assertTrue(maven.contains("grep -q 'pytorch-native-'") && maven.contains("exit 1"), "and refuses CPU natives");
        List<Dockerfiles.Instruction> application = cuda.runtime().all("COPY").stream()
                .filter(i -> i.sources().stream().anyMatch(s -> s.contains("quarkus-app")))
                .toList();
        assertEquals(4, application.size(), "the fast-jar, layer by layer");
        application.forEach(i -> assertEquals("build", i.flags().get("from"), "line " + i.line()));
        assertTrue(
                cuda.runtime().runs().contains("ls /deployments/lib/main | grep -q 'pytorch-native-'"),
                "the runtime stage refuses CPU natives too");
    }

    /**
     * The GPU image's build context (the repository root) is cut down by Dockerfile.cuda.dockerignore: every build
     * output stays out (so a host build's CPU natives can never enter the image), and so do git, node_modules and the
     * local stack's data; every source the -Dgpu build reads is in.
     */
    @Test
    void theGpuBuildContextHoldsTheSourcesAndNoBuildOutput() throws IOException {
        Path ignoreFile = Dockerfiles.path(Dockerfiles.CUDA + ".dockerignore");
        assertTrue(Files.isRegularFile(ignoreFile), "BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile");
        DockerIgnore ignore = new DockerIgnore(DeployFiles.read(ignoreFile));
        for (String out : List.of(
                "trainer-service/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-native-cpu-2.7.1-linux-x86_64.jar",
                "contracts/target/classes/x.class",
                "target/x",
                ".git/HEAD",
                ".lab/secrets/reader-token",
                ".env",
                "deploy/schema-check/node_modules/ajv/package.json")) {
            assertTrue(ignore.ignores(out), out + " must stay out of the context");
        }
        List<String> context = contextFiles(DeployFiles.repoRoot(), ignore);
        for (String needed : List.of(
                "pom.xml",
                "mvnw",
                ".mvn/wrapper/maven-wrapper.properties",
                "trainer-service/pom.xml",
                "trainer-service/src/main/resources/application.properties",
                "trainer-service/src/main/docker/stage-libtorch.sh",
                "trainer-service/src/main/docker/check-linkage.sh")) {
            assertTrue(context.contains(needed), needed + " must be in the context");
        }
        for (String module : modules()) {
            assertTrue(context.contains(module + "/pom.xml"), "the reactor reads every module's pom: " + module);
        }
        for (Dockerfiles.Stage stage : Dockerfiles.of(Dockerfiles.CUDA).built()) {
            for (Dockerfiles.Instruction copy : stage.contextCopies()) {
                for (String source : copy.sources()) {
                    assertTrue(
                            source.equals(".") || context.contains(source),
                            "line " + copy.line() + ": " + source + " is not in the build context");
                }
            }
        }
        long bytes = 0;
        for (String file : context) {
            bytes += Files.size(DeployFiles.repoRoot().resolve(file));
        }
        assertTrue(bytes < 64L << 20, "the context is the sources, not " + (bytes >> 20) + " MiB");
    }

    /**
     * The multi-GB libtorch download depends on nothing of the application (a code or dependency change does not
     * download it again), is checked against a pinned sha256 (an empty one fails the build), and the staged folder is
     * made with a fixed time and copied into the image as a layer of its own (--link), the same blob on every build.
     */
    @Test
    void theLibtorchStageIsIndependentCheckedAndReproducible() {
        Dockerfiles.Parsed cuda = Dockerfiles.of(Dockerfiles.CUDA);
        Dockerfiles.Stage download = cuda.built().stream()
                .filter(s -> s.runs().contains("${LIBTORCH_URL}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage downloads LIBTORCH_URL"));
        assertTrue(cuda.parent(download).isEmpty(), "the download stage starts from a base image, not from a stage");
        assertEquals(List.of(), download.contextCopies(), "the download stage reads nothing of the build context");
        assertTrue(
                download.instructions().stream().noneMatch(i -> i.flags().containsKey("from")),
                "the download stage reads nothing of another stage");
        String runs = download.all("RUN").stream()
                .map(Dockerfiles.Instruction::text)
                .filter(t -> t.contains("${LIBTORCH_URL}"))
                .findFirst()
                .orElseThrow();
        assertTrue(runs.contains("echo \"${LIBTORCH_SHA256} /tmp/libtorch.zip\" | sha256sum -c -"), runs);
        assertTrue(
                runs.contains("if [ -z \"${LIBTORCH_SHA256}\" ]") && runs.indexOf("exit 1") < runs.indexOf("curl "),
                "no sha256, no download: " + runs);
        assertTrue(cuda.globalArg("LIBTORCH_SHA256").orElse("").matches("[0-9a-f]{64}"), "pinned sha256");

        Dockerfiles.Stage natives = cuda.stage("natives");
        assertEquals(download.name(), natives.imageName(), "the natives stage builds on the download");
        assertTrue(cuda.globalArg("SOURCE_DATE_EPOCH").orElse("").matches("\\d+"), "a fixed time");
        assertTrue(
                natives.all("ARG").stream().anyMatch(a -> a.properties().containsKey("SOURCE_DATE_EPOCH")),
                "the natives stage sees SOURCE_DATE_EPOCH (the script stamps every file with it)");
        assertTrue(natives.runs().contains("stage-libtorch.sh "), natives.runs());
        assertTrue(
                cuda.runtime().all("COPY").stream()
                        .anyMatch(i -> "natives".equals(i.flags().get("from"))
                                && i.flags().containsKey("link")),
                "COPY --link --from=natives");
    }

    /**
     * The GPU runtime is NVIDIA's base (the CUDA runtime for DJL's GPU detection), not the cudnn variant: the libtorch
     * archive bundles cuDNN 9. Whether the base lacks anything the staged libraries need is checked at build time with
     * ldd (check-linkage.sh, tested in trainer-service's LinkageCheckTest), where only the driver's libcuda.so.1 may be
     * missing. The GPU image has a UTF-8 locale.
     */
    @Test
    void theGpuRuntimeChecksItsLibrariesAndSpeaksUtf8() {
        Dockerfiles.Parsed cuda = Dockerfiles.of(Dockerfiles.CUDA);
        Dockerfiles.Stage runtime = cuda.runtime();
        assertEquals("nvidia/cuda", runtime.imageName());
        assertTrue(
                runtime.tag().startsWith("12.8.")
                        && runtime.tag().contains("-base-")
                        && !runtime.tag().contains("cudnn"),
                "CUDA 12.8 base without a second cuDNN: " + runtime.tag());
        String staged = runtime.env("PYTORCH_LIBRARY_PATH").orElseThrow();
        assertTrue(
                runtime.runs().contains("check-linkage.sh \"" + staged + "\""),
                "the ldd check runs on the folder DJL loads: " + runtime.runs());
        assertTrue(
                runtime.contextCopies().stream()
                        .anyMatch(i -> i.sources().equals(List.of("trainer-service/src/main/docker/check-linkage.sh"))),
                "the check is the script in trainer-service/src/main/docker");
        assertEquals("C.UTF-8", runtime.env("LANG").orElse(null), "a UTF-8 locale (glibc's built-in C.UTF-8)");
        assertServes(runtime, "trainer-service", KubernetesManifestsTest.SERVICES.get("trainer-service"));
        assertEquals("true", runtime.env("DJL_OFFLINE").orElse(null), "no download at run time");
    }

    /** The CPU trainer image refuses an application packaged with -Dgpu (it would have no libtorch at all). */
    @Test
    void theCpuTrainerImageRefusesAnApplicationWithoutItsNatives() {
        String runs = Dockerfiles.of("trainer-service/src/main/docker/Dockerfile.jvm")
                .runtime()
                .runs();
        assertTrue(runs.contains("if ! ls /deployments/lib/main | grep -q 'pytorch-native-cpu-'"), runs);
    }

    /**
     * The trainer images start the JVM with the native settings every trainer launcher uses (lab-cli's
     * NativeEnvironment.trainer() where tcmalloc is installed; this module does not depend on lab-cli, so the values
     * are repeated here as the check).
     */
    @Test
    void trainerImagesSetTheTrainersNativeEnvironment() {
        for (String image : List.of("Dockerfile.jvm", "Dockerfile.cuda")) {
            Dockerfiles.Stage runtime =
                    Dockerfiles.of("trainer-service/src/main/docker/" + image).runtime();
            assertEquals("PASSIVE", runtime.env("OMP_WAIT_POLICY").orElse(null), image + ": OMP_WAIT_POLICY");
            // a container is one trainer on its CPUs: NativeEnvironment.openMp(1)
            assertEquals("10000", runtime.env("GOMP_SPINCOUNT").orElse(null), image + ": GOMP_SPINCOUNT");
            assertEquals(
                    "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=16777216",
                    runtime.env("GLIBC_TUNABLES").orElse(null),
                    image + ": GLIBC_TUNABLES");
            // tcmalloc (lab-cli's TrainerAllocator), preloaded by its soname (ld.so finds it on any architecture), from
            // Ubuntu 24.04's package (renamed for 64-bit time_t: libtcmalloc-minimal4 has no candidate there)
            assertEquals("libtcmalloc_minimal.so.4", runtime.env("LD_PRELOAD").orElse(null), image + ": LD_PRELOAD");
            assertTrue(
                    runtime.runs().matches("(?s).*apt-get install [^&]*\\blibtcmalloc-minimal4t64\\b.*"),
                    image + " installs libtcmalloc-minimal4t64: " + runtime.runs());
            assertTrue(runtime.from().contains("noble") || runtime.from().contains("ubuntu24.04"), image + ": noble");
        }
    }

    /** A trainer's memory is native (libtorch): its JVM takes a quarter of the container, the Java services three. */
    @Test
    void trainerImagesLeaveTheContainersMemoryToLibtorch() {
        for (String image : List.of("Dockerfile.jvm", "Dockerfile.cuda")) {
            String opts = javaOpts("trainer-service/src/main/docker/" + image);
            assertTrue(opts.contains("-XX:MaxRAMPercentage=25 "), image + ": " + opts);
        }
        for (String service : List.of("dataset-service", "results-service")) {
            String opts = javaOpts(service + "/src/main/docker/Dockerfile.jvm");
            assertTrue(opts.contains("-XX:MaxRAMPercentage=75 "), service + ": " + opts);
        }
    }

    private static String javaOpts(String dockerfile) {
        return Dockerfiles.of(dockerfile)
                .runtime()
                .env("JAVA_OPTS")
                .orElseThrow(() -> new AssertionError(dockerfile + ": no ENV JAVA_OPTS"));
    }

    static void assertServes(Dockerfiles.Stage runtime, String service, int port) {
        assertTrue(
                runtime.all("EXPOSE").stream().anyMatch(i -> i.args().contains(String.valueOf(port))),
                service + ": EXPOSE " + port);
        assertTrue(
                runtime.all("HEALTHCHECK").stream()
                        .anyMatch(i -> i.text().contains("localhost:" + port + "/q/health/ready")),
                service + ": health check");
        assertTrue(
                runtime.all("ENTRYPOINT").stream().anyMatch(i -> i.text().contains("quarkus-run.jar")),
                service + ": runs the fast-jar");
        assertEquals(List.of("185"), runtime.all("USER").get(0).args(), service + ": not root");
    }

    /** The modules of the root pom (the Maven reactor needs each one's pom.xml). */
    private static List<String> modules() {
        List<String> modules = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("<module>([^<]+)</module>")
                .matcher(DeployFiles.read(DeployFiles.repoRoot().resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1).strip());
        }
        assertFalse(modules.isEmpty());
        return modules;
    }

    /** The repository's files that a build with this ignore file sends as context (repository-relative, sorted). */
    private static List<String> contextFiles(Path root, DockerIgnore ignore) {
        assertFalse(ignore.hasExceptions(), "with ! patterns, ignored folders would have to be walked as well");
        List<String> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && ignore.ignores(relative(root, dir))
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = relative(root, file);
                    if (attrs.isRegularFile() && !ignore.ignores(rel)) {
                        files.add(rel);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
