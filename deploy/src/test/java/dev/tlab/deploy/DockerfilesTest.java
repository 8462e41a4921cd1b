package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The images copy the Quarkus fast-jar, expose the service's port and check /q/health/ready. */
class DockerfilesTest {

    @Test
    void jvmImagesCopyQuarkusAppAndExposeThePort() {
        for (Map.Entry<String, Integer> e : KubernetesManifestsTest.SERVICES.entrySet()) {
            check(DeployFiles.repoRoot().resolve(e.getKey()).resolve("src/main/docker/Dockerfile.jvm"), e.getValue());
        }
    }

    @Test
    void cudaImageBakesTheCudaNativesAndRunsOffline() {
        Path cuda = DeployFiles.repoRoot().resolve("trainer-service/src/main/docker/Dockerfile.cuda");
        String text = check(cuda, KubernetesManifestsTest.SERVICES.get("trainer-service"));
        assertTrue(text.contains("PYTORCH_FLAVOR=cu128"), "CUDA flavour of libtorch 2.7.1 (cu128, as pytorch-jni has)");
        assertTrue(
                text.contains("AS natives") && text.contains("COPY --from=natives"), "a build stage warms the cache");
        assertTrue(text.contains("DJL_OFFLINE=true"), "no download at run time");
    }

    /**
     * The trainer images start the JVM with the native settings every trainer launcher uses (lab-cli's
     * NativeEnvironment.TRAINER; this module does not depend on lab-cli, so the values are repeated here as the check).
     */
    @Test
    void trainerImagesSetTheTrainersNativeEnvironment() {
        for (String image : List.of("Dockerfile.jvm", "Dockerfile.cuda")) {
            String text = DeployFiles.read(DeployFiles.repoRoot()
                    .resolve("trainer-service/src/main/docker")
                    .resolve(image));
            assertTrue(text.contains("OMP_WAIT_POLICY=PASSIVE"), image + ": OMP_WAIT_POLICY");
            assertTrue(
                    text.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=8388608"),
                    image + ": GLIBC_TUNABLES");
        }
    }

    /** A trainer's memory is native (libtorch): its JVM takes a quarter of the container, the Java services three. */
    @Test
    void trainerImagesLeaveTheContainersMemoryToLibtorch() {
        for (String image : List.of("Dockerfile.jvm", "Dockerfile.cuda")) {
            String text = DeployFiles.read(DeployFiles.repoRoot()
                    .resolve("trainer-service/src/main/docker")
                    .resolve(image));
            assertTrue(javaOpts(text).contains("-XX:MaxRAMPercentage=25 "), image + ": " + javaOpts(text));
        }
        for (String service : List.of("dataset-service", "results-service")) {
            String text =
                    DeployFiles.read(DeployFiles.repoRoot().resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(javaOpts(text).contains("-XX:MaxRAMPercentage=75 "), service + ": " + javaOpts(text));
        }
    }

    private static String javaOpts(String dockerfile) {
        return dockerfile
                .lines()
                .filter(l -> l.startsWith("ENV JAVA_OPTS="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ENV JAVA_OPTS line"));
    }

    static String check(Path dockerfile, int port) {
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " missing");
        String text = DeployFiles.read(dockerfile);
        assertTrue(
                text.lines()
                        .anyMatch(
                                l -> l.matches("FROM (eclipse-temurin:17-jre|registry\\.access\\.redhat\\.com/ubi.*)")),
                dockerfile + ": runtime base image");
        assertTrue(
                text.contains("target/quarkus-app/lib/") && text.contains("quarkus-run.jar"),
                dockerfile + ": fast-jar");
        assertTrue(text.contains("EXPOSE " + port), dockerfile + ": EXPOSE " + port);
        assertTrue(text.contains("localhost:" + port + "/q/health/ready"), dockerfile + ": health check");
        return text;
    }
}
