package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine probe on this CPU machine (libtorch 2.7.1 CPU from pytorch-native-cpu), and its rules one by one. */
class EngineProbeTest {

    @Test
    void reportsTheCpuLibtorchItReallyLoaded() {
        EngineReport report = EngineProbe.probe("cpu");
        assertTrue(report.ready(), report.summary());
        assertEquals("PyTorch", report.engine());
        assertEquals("2.7.1", report.libtorchVersion());
        assertEquals("cpu", report.flavor());
        assertEquals(0, report.gpuCount());
        assertEquals("cpu()", report.device());
        assertTrue(
                Files.isRegularFile(Path.of(report.libtorchPath()).resolve(System.mapLibraryName("torch"))),
                report.libtorchPath());
        assertFalse(report.trainsOnGpu());
    }

    @Test
    void aDemandedGpuWithCpuLibtorchIsNotReadyAndSaysWhy() {
        EngineReport report = EngineProbe.probe("gpu");
        assertFalse(report.ready());
        assertNull(report.device(), "no device when the requested one cannot be used");
        assertTrue(report.reason().contains("CPU build of libtorch"), report.reason());
        assertTrue(report.reason().contains("PYTORCH_LIBRARY_PATH"), "says how to fix it: " + report.reason());
        assertEquals("cpu", report.flavor());
        assertEquals(report.reason(), report.asData().get("reason"));
    }

    @Test
    void autoOnAMachineWithoutGpuTrainsOnTheCpuWithoutWarning() {
        EngineReport report = EngineProbe.probe("auto");
        assertTrue(report.ready());
        assertEquals("cpu()", report.device());
        assertNull(report.warning());
    }

    @Test
    void anUnknownDeviceSettingIsNotReady() {
        EngineReport report = EngineProbe.probe("tpu");
        assertFalse(report.ready());
        assertTrue(report.reason().contains("unknown device setting"), report.reason());
    }

    @Test
    void whyNoGpuNamesTheMostSpecificCause() {
        Path folder = Path.of("/opt/libtorch/2.7.1-cu128-linux-x86_64");
        assertTrue(EngineProbe.whyNoGpu("gpu", 0, false, 1, folder, "x").contains("CPU build"));
        String noDevice = EngineProbe.whyNoGpu("gpu", 0, true, 0, folder, "x");
        assertTrue(noDevice.contains("no GPU is usable") && noDevice.contains("nvidia.com/gpu"), noDevice);
        String driver = EngineProbe.whyNoGpu("gpu", 0, true, 2, folder, "x");
        assertTrue(driver.contains("sees 2 GPU(s)") && driver.contains("driver"), driver);
        assertEquals("only 1 visible", EngineProbe.whyNoGpu("gpu:3", 1, true, 1, folder, "only 1 visible"));
    }

    @Test
    void flavourComesFromTheFilesFirst() {
        Path djlFolder = Path.of("/cache/pytorch/2.7.1-cu128-linux-x86_64");
        assertEquals("cu128", EngineProbe.flavor(djlFolder, true, null));
        assertEquals("cpu", EngineProbe.flavor(djlFolder, false, "cu128"), "no libtorch_cuda.so: a CPU build");
        assertEquals("cu128", EngineProbe.flavor(Path.of("/usr/lib/python3/site-packages/torch/lib"), true, "cu128"));
        assertEquals("cuda", EngineProbe.flavor(Path.of("/opt/libtorch/lib"), true, null));
    }

    @Test
    void findsTheLibtorchFolderAsDjlDoes(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        assertNull(EngineProbe.findLibtorchFolder(lib.toString()));
        Files.writeString(lib.resolve(System.mapLibraryName("torch")), "");
        assertEquals(lib, EngineProbe.findLibtorchFolder(dir.resolve("missing") + java.io.File.pathSeparator + lib));
        assertEquals(
                lib,
                EngineProbe.findLibtorchFolder(
                        lib.resolve(System.mapLibraryName("torch")).toString()));
    }
}
