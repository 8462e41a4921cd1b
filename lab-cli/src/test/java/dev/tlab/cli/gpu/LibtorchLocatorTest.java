package dev.tlab.cli.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibtorchLocatorTest {
    @TempDir
    Path tmp;

    @Test
    void aCudaFolderInDjlsCacheIsFoundWithItsCudaRuntime() throws IOException {
        Path home = tmp.resolve("home");
        folder(home.resolve(".djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64"), "libtorch.so", "libtorch_cpu.so");
        Path cuda = folder(
                home.resolve(".djl.ai/pytorch/2.7.1-cu128-linux-x86_64"),
                "libtorch.so",
                "libtorch_cuda.so",
                "libcudart-218eec4c.so.12");
        LibtorchLocator.Result r = locator(Map.of(), home, "false").locate(null);
        assertEquals(cuda, r.found().folder());
        assertEquals("2.7.1", r.found().version());
        assertEquals("cu128", r.found().flavor());
        assertEquals(cuda.resolve("libcudart-218eec4c.so.12"), r.found().cudart());
        assertTrue(
                r.lookedAt().stream().anyMatch(l -> l.contains("is a CPU build of libtorch")),
                r.lookedAt().toString());
        assertEquals(List.of(), r.found().notes());
    }

    @Test
    void foldersOfTheWrongBuildOrVersionAreRejectedWithTheReason() throws IOException {
        Path cpu = folder(tmp.resolve("cpu"), "libtorch.so", "libtorch_cpu.so");
        Path old = folder(tmp.resolve("libtorch-2.5.1/lib"), "libtorch.so", "libtorch_cuda.so");
        Files.writeString(tmp.resolve("libtorch-2.5.1/build-version"), "2.5.1+cu124\n");
        Path cuda11 = folder(tmp.resolve("libtorch-cu118/lib"), "libtorch.so", "libtorch_cuda.so");
        Files.writeString(tmp.resolve("libtorch-cu118/build-version"), "2.7.1+cu118\n");
        LibtorchLocator.Result r = locator(
                        Map.of("PYTORCH_LIBRARY_PATH", cpu + ":" + old + ":" + cuda11), tmp.resolve("home"), "false")
                .locate(null);
        assertNull(r.found());
        String all = String.join("\n", r.lookedAt());
        assertTrue(all.contains(cpu + " is a CPU build"), all);
        assertTrue(all.contains(old + " is libtorch 2.5.1, but DJL's JNI library is built for 2.7.1"), all);
        assertTrue(all.contains(cuda11 + " is the cu118 build"), all);
        assertTrue(all.contains("DJL's cache " + tmp.resolve("home/.djl.ai/pytorch") + ": nothing there"), all);
        assertTrue(all.contains("false: no PyTorch"), all);
    }

    @Test
    void theOfficialArchiveGivenByItsRootIsReadWithItsBuildVersion() throws IOException {
        Path lib = folder(tmp.resolve("libtorch/lib"), "libtorch.so", "libtorch_cuda.so", "libcudart-abc.so.12");
        Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        LibtorchLocator.Found found =
                locator(Map.of(), tmp, "false").locate(tmp.resolve("libtorch")).found();
        assertEquals(lib, found.folder());
        assertEquals("cu128", found.flavor());
        assertTrue(found.source().startsWith("--libtorch"));
    }

    @Test
    void aPythonPyTorchOfTheRightVersionIsFoundWithPipsCudaRuntime() throws IOException {
        Path site = tmp.resolve("site-packages");
        Path lib = folder(site.resolve("torch/lib"), "libtorch.so", "libtorch_cuda.so");
        Path cudart = folder(site.resolve("nvidia/cuda_runtime/lib"), "libcudart.so.12")
                .resolve("libcudart.so.12");
        Path python = fakePython("2.7.1+cu128", "12.8", site.resolve("torch"));
        LibtorchLocator.Found found = locator(Map.of(), tmp.resolve("home"), python.toString())
                .locate(null)
                .found();
        assertEquals(lib, found.folder());
        assertEquals("cu128", found.flavor());
        assertEquals(cudart, found.cudart());
        assertTrue(found.source().contains("PyTorch 2.7.1+cu128"), found.source());
    }

    @Test
    void aPythonPyTorchOfAnotherVersionIsNamedInTheReport() throws IOException {
        Path site = tmp.resolve("site-packages");
        folder(site.resolve("torch/lib"), "libtorch.so", "libtorch_cuda.so");
        Path python = fakePython("2.5.1+cu124", "12.4", site.resolve("torch"));
        LibtorchLocator.Result r =
                locator(Map.of(), tmp.resolve("home"), python.toString()).locate(null);
        assertNull(r.found());
        assertTrue(
                String.join("\n", r.lookedAt())
                        .contains("is libtorch 2.5.1+cu124, but DJL's JNI library is built for 2.7.1"),
                r.lookedAt().toString());
    }

    private LibtorchLocator locator(Map<String, String> env, Path home, String python) {
        return new LibtorchLocator("2.7.1", env, home, tmp.resolve(".lab"), List.of(python));
    }

    private static Path folder(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String f : files) {
            Files.writeString(dir.resolve(f), "");
        }
        return dir;
    }

    private Path fakePython(String version, String cuda, Path torch) throws IOException {
        Path script = tmp.resolve("python");
        Files.writeString(
                script, "#!/bin/sh\nprintf '%s\\n%s\\n%s\\n' '" + version + "' '" + cuda + "' '" + torch + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
