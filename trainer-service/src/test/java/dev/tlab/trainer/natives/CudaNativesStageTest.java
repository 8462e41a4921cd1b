package dev.tlab.trainer.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The CUDA image's natives stage cannot end up with the CPU flavour: its script (run here for real) refuses any
 * libtorch that is not the requested CUDA build of the version pytorch-jni was built for; the Dockerfile runs that
 * script for cu128 and points the runtime at its output only; the application of the image carries no CPU natives.
 */
class CudaNativesStageTest {

    @Test
    void aCpuLibtorchIsRefusedForTheCudaFlavour(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.fakeArchive(tmp, "2.7.1+cpu", "libtorch.so", "libtorch_cpu.so", "libc10.so");
        Path out = tmp.resolve("2.7.1-cu128-linux-x86_64");
        LibtorchFixtures.Run run = LibtorchFixtures.stage(lib, "cu128", out);
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("is the cpu build (2.7.1+cpu), not the requested cu128"), run.output());
        assertFalse(Files.exists(out), "nothing staged");
    }

    @Test
    void aCpuLibtorchLabelledAsCudaIsRefusedByItsFiles(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.fakeArchive(tmp, "2.7.1+cu128", "libtorch.so", "libtorch_cpu.so", "libc10.so");
        Path out = tmp.resolve("2.7.1-cu128-linux-x86_64");
        LibtorchFixtures.Run run = LibtorchFixtures.stage(lib, "cu128", out);
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("has no libtorch_cuda.so: this is not a cu128 build"), run.output());
        assertFalse(Files.exists(out));
    }

    @Test
    void aLibtorchOfAnotherVersionThanTheJniIsRefused(@TempDir Path tmp) throws Exception {
        Path lib =
                LibtorchFixtures.fakeArchive(tmp, "2.5.1+cu128", "libtorch.so", "libtorch_cuda.so", "libc10_cuda.so");
        LibtorchFixtures.Run run = LibtorchFixtures.stage(lib, "cu128", tmp.resolve("out"));
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("built for libtorch 2.7.1"), run.output());
    }

    @Test
    void aCudaBuildIsStagedWithDjlsFileSetAndTheCu128JniLibrary(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.fakeArchive(
                tmp,
                "2.7.1+cu128",
                "libtorch.so",
                "libtorch_cpu.so",
                "libtorch_cuda.so",
                "libc10.so",
                "libc10_cuda.so",
                "libcudart-218eec4c.so.12",
                "libcudnn.so.9",
                "libnvrtc-b51b459d.so.12",
                "libgomp-98b21ff3.so.1",
                "libcaffe2_nvrtc.so",
                // cuFile: libtorch_cuda needs libcufile; nothing links its RDMA plugin, which needs libibverbs
                "libcufile-3fa5a2a5.so.0",
                "libcufile_rdma-5257f22c.so.1",
                // in the official archive too, but not in DJL's set: DJL would load them all
                "libjitbackend_test.so",
                "libbackend_with_compiler.so",
                "libshm.so",
                "libtorch_global_deps.so");
        Path out = tmp.resolve("opt/libtorch/2.7.1-cu128-linux-x86_64");
        LibtorchFixtures.Run run = LibtorchFixtures.stage(lib, "cu128", out);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(
                List.of(
                        "0.36.0-libdjl_torch.so",
                        "build-version",
                        "libc10.so",
                        "libc10_cuda.so",
                        "libcaffe2_nvrtc.so",
                        "libcudart-218eec4c.so.12",
                        "libcudnn.so.9",
                        "libcufile-3fa5a2a5.so.0",
                        "libgomp-98b21ff3.so.1",
                        "libnvrtc-b51b459d.so.12",
                        "libtorch.so",
                        "libtorch_cpu.so",
                        "libtorch_cuda.so"),
                list(out));
        assertArrayEquals(
                LibtorchFixtures.entry(LibtorchFixtures.jniJar(), "jnilib/linux-x86_64/cu128/libdjl_torch.so"),
                Files.readAllBytes(out.resolve("0.36.0-libdjl_torch.so")),
                "the cu128 JNI library of pytorch-jni");
        assertTrue(
                run.output()
                        .contains("left out (not needed, and its dependencies are not in the image): "
                                + "libcufile_rdma-5257f22c.so.1"),
                run.output());
    }

    /**
     * The staged folder is the same, bytes and times, however often and whenever it is made: its files keep the
     * archive's times, the JNI library and the folder take the archive's build-version time. A copy stamped with the
     * time of the build would make the image's multi-GB layer a new blob on every build.
     */
    @Test
    void twoStagingsOfOneArchiveGiveTheSameFilesAndTimes(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.fakeArchive(
                tmp, "2.7.1+cu128", "libtorch.so", "libtorch_cuda.so", "libc10.so", "libc10_cuda.so");
        Files.writeString(lib.resolve("libtorch.so"), "not empty");
        FileTime archived = FileTime.from(Instant.parse("2025-06-03T12:00:00Z"));
        FileTime versioned = FileTime.from(Instant.parse("2025-06-03T13:00:00Z"));
        try (Stream<Path> files = Files.list(lib)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, archived);
            }
        }
        Files.setLastModifiedTime(lib.resolveSibling("build-version"), versioned);

        Path first = tmp.resolve("first/2.7.1-cu128-linux-x86_64");
        assertEquals(0, LibtorchFixtures.stage(lib, "cu128", first).exitCode());
        Thread.sleep(1100); // a copy stamped with the current time would now differ by at least a second
        Path second = tmp.resolve("second/2.7.1-cu128-linux-x86_64");
        assertEquals(0, LibtorchFixtures.stage(lib, "cu128", second).exitCode());

        assertEquals(listing(first), listing(second));
        assertEquals(archived, Files.getLastModifiedTime(first.resolve("libtorch.so")), "the archive's time");
        assertEquals(versioned, Files.getLastModifiedTime(first.resolve("0.36.0-libdjl_torch.so")));
        assertEquals(versioned, Files.getLastModifiedTime(first.resolve("build-version")));
        assertEquals(versioned, Files.getLastModifiedTime(first), "the folder");
    }

    @Test
    void sourceDateEpochSetsEveryTimeAndMustBeANumber(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.fakeArchive(
                tmp, "2.7.1+cu128", "libtorch.so", "libtorch_cuda.so", "libc10.so", "libc10_cuda.so");
        Path out = tmp.resolve("2.7.1-cu128-linux-x86_64");
        LibtorchFixtures.Run run = LibtorchFixtures.stage(lib, "cu128", out, "1748995200");
        assertEquals(0, run.exitCode(), run.output());
        FileTime epoch = FileTime.from(Instant.ofEpochSecond(1748995200L));
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.toList()) {
                assertEquals(epoch, Files.getLastModifiedTime(file), file.toString());
            }
        }
        run = LibtorchFixtures.stage(lib, "cu128", out, "yesterday");
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("SOURCE_DATE_EPOCH is not a number of seconds"), run.output());
        assertFalse(Files.exists(out), "nothing staged");
    }

    @Test
    void theImageStagesCu128AndRunsOnlyFromThatFolder() throws IOException {
        String dockerfile = Files.readString(LibtorchFixtures.DOCKERFILE);
        List<String> stages = stages(dockerfile);
        assertEquals("2.7.1", arg(stages.get(0), "LIBTORCH_VERSION"), "the libtorch DJL 0.36.0 pairs with");
        assertEquals("cu128", arg(stages.get(0), "PYTORCH_FLAVOR"), "the CUDA flavour of pytorch-jni-2.7.1-0.36.0");
        assertTrue(arg(stages.get(0), "LIBTORCH_URL")
                .contains("/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip"));
        assertTrue(arg(stages.get(0), "LIBTORCH_SHA256").matches("[0-9a-f]{64}"), "the archive's sha256 is pinned");

        String build = stage(stages, " AS build");
        assertTrue(
                build.contains("-Dgpu") && build.contains("grep -q 'pytorch-native-'") && build.contains("exit 1"),
                "the application is built without CPU natives, and refused if it has them: " + build);

        String natives = stage(stages, " AS natives");
        assertTrue(natives.startsWith("FROM libtorch AS natives"), "on top of the downloaded archive: " + natives);
        assertTrue(
                natives.contains(
                        "COPY trainer-service/src/main/docker/stage-libtorch.sh /usr/local/bin/stage-libtorch.sh"),
                "the natives stage runs the script tested here");
        assertTrue(natives.contains("stage-libtorch.sh /opt/archive/libtorch/lib \"${PYTORCH_FLAVOR}\""), natives);
        String staged = "/opt/libtorch/${LIBTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64";
        assertTrue(natives.contains("\"" + staged + "\""), "staged into DJL's folder naming: " + natives);
        assertTrue(natives.contains("ARG SOURCE_DATE_EPOCH"), "the script gets the fixed time: " + natives);

        String runtime = stages.get(stages.size() - 1);
        String base = runtime.lines().findFirst().orElseThrow();
        assertTrue(
                base.startsWith("FROM nvidia/cuda:12.8.") && base.contains("-base-") && !base.contains("cudnn"),
                "CUDA runtime 12.8 for DJL's GPU detection; cuDNN comes with the libtorch archive: " + base);
        List<String> fromNatives =
                runtime.lines().filter(l -> l.contains("--from=natives")).toList();
        assertEquals(List.of("COPY --link --from=natives /opt/libtorch/ /opt/libtorch/"), fromNatives);
        assertTrue(runtime.contains("RUN check-linkage.sh \"" + staged + "\""), "the ldd check runs on the folder");
        assertTrue(runtime.contains("PYTORCH_LIBRARY_PATH=" + staged), "DJL takes the staged folder");
        assertTrue(
                runtime.contains("PYTORCH_FLAVOR=${PYTORCH_FLAVOR}")
                        && runtime.contains("DJL_OFFLINE=true")
                        && runtime.contains("TLAB_TRAINER_DEVICE=gpu"),
                runtime);
        assertTrue(
                runtime.contains("ls /deployments/lib/main | grep -q 'pytorch-native-'"), "no CPU natives in the app");
    }

    @Test
    void theGpuBuildLeavesTheCpuNativesOut() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(LibtorchFixtures.MODULE.resolve("pom.xml").toFile());
        List<Element> natives = new ArrayList<>();
        NodeList artifacts = pom.getElementsByTagName("artifactId");
        for (int i = 0; i < artifacts.getLength(); i++) {
            if (artifacts.item(i).getTextContent().startsWith("pytorch-native-")) {
                natives.add((Element) artifacts.item(i).getParentNode());
            }
        }
        assertEquals(1, natives.size(), "one natives dependency");
        Node profile = natives.get(0).getParentNode().getParentNode();
        assertEquals("profile", profile.getNodeName(), "declared in a profile, not for every build");
        Element activation =
                (Element) ((Element) profile).getElementsByTagName("activation").item(0);
        assertEquals(
                "!gpu",
                activation.getElementsByTagName("name").item(0).getTextContent().trim(),
                "-Dgpu leaves it out");
    }

    /** The Dockerfile's text per stage, each starting at its FROM line; the first element is what precedes them. */
    private static List<String> stages(String dockerfile) {
        List<String> stages = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            if (line.startsWith("FROM ")) {
                stages.add(current.toString());
                current = new StringBuilder();
            }
            current.append(line).append('\n');
        }
        stages.add(current.toString());
        return stages;
    }

    private static String stage(List<String> stages, String name) {
        return stages.stream()
                .filter(s -> s.lines().findFirst().orElse("").endsWith(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage" + name));
    }

    /** Name, size and modification time of every file of a folder. */
    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            List<String> out = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                out.add(folder.relativize(file) + " " + (Files.isRegularFile(file) ? Files.size(file) : -1) + " "
                        + Files.getLastModifiedTime(file));
            }
            return out;
        }
    }

    private static String arg(String text, String name) {
        Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(text);
        assertTrue(m.find(), "ARG " + name);
        return m.group(1);
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
