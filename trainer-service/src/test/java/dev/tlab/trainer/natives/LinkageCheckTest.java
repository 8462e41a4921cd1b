package dev.tlab.trainer.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA image's build-time ldd check (src/main/docker/check-linkage.sh), run here on real shared libraries: the CPU
 * libtorch staged by the natives stage's script, and small libraries compiled with gcc whose dependencies are present,
 * are the driver's libcuda.so.1 (allowed: the container toolkit mounts it at run time) or are missing (refused, named).
 */
class LinkageCheckTest {

    @Test
    void theStagedLibtorchFolderFindsEverythingItNeedsHere(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.cpuArchive(tmp.resolve("archive"), "2.7.1+cpu");
        Path folder = tmp.resolve("opt/libtorch/2.7.1-cpu-linux-x86_64");
        assertEquals(0, LibtorchFixtures.stage(lib, "cpu", folder).exitCode());
        LibtorchFixtures.Run run = check(folder);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("find everything they need"), run.output());
    }

    @Test
    void onlyTheDriversLibcudaMayBeMissing(@TempDir Path tmp) throws Exception {
        Path build = Files.createDirectories(tmp.resolve("build"));
        library(build, "libpeer.so.1", "int peer(void) { return 1; }");
        library(build, "libcuda.so.1", "int cuInit(unsigned int f) { return 0; }");
        library(build, "libabsent_rdma.so.1", "int absent(void) { return 2; }");

        Path ok = Files.createDirectories(tmp.resolve("ok"));
        Files.copy(build.resolve("libpeer.so.1"), ok.resolve("libpeer.so.1"));
        library(ok, "libneedspeer.so", "int peer(void); int f(void) { return peer(); }", build, "libpeer.so.1");
        library(ok, "libneedsdriver.so", "int g(void) { return 3; }", build, "libcuda.so.1");
        LibtorchFixtures.Run run = check(ok);
        assertEquals(0, run.exitCode(), run.output());

        Path bad = Files.createDirectories(tmp.resolve("bad"));
        for (String name : List.of("libpeer.so.1", "libneedspeer.so", "libneedsdriver.so")) {
            Files.copy(ok.resolve(name), bad.resolve(name));
        }
        library(bad, "libneedsrdma.so.1", "int h(void) { return 4; }", build, "libabsent_rdma.so.1");
        run = check(bad);
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("libneedsrdma.so.1 needs libabsent_rdma.so.1 => not found"), run.output());
        assertTrue(!run.output().contains("libneedsdriver.so needs"), "libcuda.so.1 is allowed: " + run.output());

        run = check(Files.createDirectories(tmp.resolve("empty")));
        assertEquals(1, run.exitCode(), "a folder without libraries is not a libtorch folder: " + run.output());
    }

    private static LibtorchFixtures.Run check(Path folder) throws IOException, InterruptedException {
        return LibtorchFixtures.run(
                List.of("bash", LibtorchFixtures.LINKAGE_SCRIPT.toString(), folder.toString()), null);
    }

    /**
     * Compiles a shared library with gcc (the JNI toolchain of these machines) into {@code dir}, with soname
     * {@code name}, linked against {@code needs} found in {@code from}.
     */
    private static void library(Path dir, String name, String source, Object... fromAndNeeds)
            throws IOException, InterruptedException {
        Path c = Files.createTempFile(dir.getParent(), "lib", ".c");
        Files.writeString(c, source + "\n");
        List<String> command = new ArrayList<>(List.of(
                "gcc", "-shared", "-fPIC", "-o", dir.resolve(name).toString(), "-Wl,-soname," + name, c.toString()));
        if (fromAndNeeds.length > 0) {
            command.addAll(List.of("-Wl,--no-as-needed", "-L" + fromAndNeeds[0], "-l:" + fromAndNeeds[1]));
        }
        LibtorchFixtures.Run run;
        try {
            run = LibtorchFixtures.run(command, null);
        } catch (IOException e) {
            throw new AssertionError("gcc is needed for this test (Debian: apt-get install gcc)", e);
        }
        assertEquals(0, run.exitCode(), run.output());
    }
}
