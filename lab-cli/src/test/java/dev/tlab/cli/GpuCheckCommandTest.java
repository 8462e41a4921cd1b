package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlab.cli.gpu.HostGpus;
import dev.tlab.cli.gpu.HostGpusTest;
import dev.tlab.cli.gpu.TrainerApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab gpu-check} on this machine (no GPU) and on folders that look like GPU machines. */
class GpuCheckCommandTest {
    /** The repository checkout: the tests run in lab-cli/. */
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void onThisMachineItSaysNoGpuAndExitsWithItsCode() {
        assumeTrue(!HostGpus.detect(Path.of("/"), System.getenv("PATH")).present(), "this machine has a GPU");
        Output out = lab("gpu-check");
        assertEquals(ExitCodes.NO_GPU, out.code(), out.text());
        assertTrue(out.text().contains("no GPU: no NVIDIA driver"), out.text());
    }

    @Test
    void aMachineWithoutTheDriverSaysNoGpu() {
        Output out = lab("gpu-check", "--host-root", tmp.toString(), "--search-path", "");
        assertEquals(ExitCodes.NO_GPU, out.code(), out.text());
        assertTrue(out.text().contains("no GPU: no NVIDIA driver: nvidia-smi is not on the PATH"), out.text());
    }

    @Test
    void aGpuWithoutCudaLibtorchSaysWhatIsMissingAndHowToProvideIt() throws IOException {
        HostGpusTest.fakeDriver(tmp.resolve("host"), "NVIDIA H200");
        Path root = fakeTrainerApp(tmp.resolve("repo"));
        Path cpu = Files.createDirectories(tmp.resolve("cpu-libtorch"));
        Files.writeString(cpu.resolve("libtorch.so"), "");
        Output out = lab(
                "gpu-check",
                "--host-root",
                tmp.resolve("host").toString(),
                "--search-path",
                "",
                "--root",
                root.toString(),
                "--work-dir",
                tmp.resolve("work").toString(),
                "--python",
                "false",
                "--libtorch",
                cpu.toString());
        assertEquals(ExitCodes.NO_CUDA_LIBTORCH, out.code(), out.text());
        assertTrue(out.text().contains("GPU           0, NVIDIA H200"), out.text());
        assertTrue(out.text().contains(cpu + " is a CPU build of libtorch"), out.text());
        assertTrue(out.text().contains("No CUDA build of libtorch 2.7.1 was found"), out.text());
        assertTrue(out.text().contains("libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip"), out.text());
        assertTrue(
                out.text().contains("pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128"),
                out.text());
        assertTrue(
                out.text()
                        .contains(
                                "stage-libtorch.sh libtorch/lib cu128 "
                                        + root.resolve(
                                                "trainer-service/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-jni-2.7.1-0.36.0.jar")),
                out.text());
    }

    /**
     * The whole way to the trainer's check, in a JVM of the real packaged trainer: a folder that claims to be CUDA
     * libtorch but cannot be loaded ends as "no usable libtorch" with the engine's own error.
     */
    @Test
    void anUnloadableLibtorchEndsInTheTrainersCheckWithTheEnginesError() throws IOException {
        assumeTrue(TrainerApp.in(REPO).built(), "the trainer is packaged (mvn package) before lab-cli's tests");
        HostGpusTest.fakeDriver(tmp.resolve("host"), "NVIDIA H200");
        Path broken = Files.createDirectories(tmp.resolve("broken/lib"));
        Files.writeString(broken.resolve("libtorch.so"), "not a library");
        Files.writeString(broken.resolve("libtorch_cuda.so"), "");
        Files.writeString(tmp.resolve("broken/build-version"), "2.7.1+cu128\n");
        Output out = lab(
                "gpu-check",
                "--host-root",
                tmp.resolve("host").toString(),
                "--search-path",
                "",
                "--root",
                REPO.toString(),
                "--work-dir",
                tmp.resolve("work").toString(),
                "--libtorch",
                broken.toString());
        assertEquals(ExitCodes.NO_CUDA_LIBTORCH, out.code(), out.text());
        assertTrue(out.text().contains("setting       PYTORCH_LIBRARY_PATH=" + broken), out.text());
        assertTrue(out.text().contains("no usable libtorch: the PyTorch engine did not load"), out.text());
    }

    private static Path fakeTrainerApp(Path root) throws IOException {
        Path app = root.resolve("trainer-service/target/quarkus-app");
        Files.createDirectories(app.resolve("app"));
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("lib/main/ai.djl.pytorch.pytorch-jni-2.7.1-0.36.0.jar"), "");
        return root;
    }

    private record Output(int code, String text) {}

    private static Output lab(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = Lab.execute(args);
            return new Output(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
