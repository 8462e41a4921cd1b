package dev.tlab.cli.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class HostGpusTest {
    @TempDir
    Path tmp;

    @Test
    void noDriverMeansNoGpuWithTheReason() {
        HostGpus host = HostGpus.detect(tmp, "");
        assertFalse(host.present());
        assertTrue(
                host.problem()
                        .startsWith("no NVIDIA driver: nvidia-smi is not on the PATH and "
                                + tmp.resolve("proc/driver/nvidia/version") + " does not exist"),
                host.problem());
    }

    @Test
    void theKernelModulesFilesNameTheDriverAndTheGpus() throws IOException {
        fakeDriver(tmp, "NVIDIA H200");
        HostGpus host = HostGpus.detect(tmp, "");
        assertTrue(host.present(), host.problem());
        assertEquals("570.86.15", host.driverVersion());
        assertEquals(List.of("0, NVIDIA H200 (bus 0000:19:00.0)"), host.gpus());
    }

    @Test
    void nvidiaSmiIsAskedWhenItIsThere() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("nvidia-smi"), """
                if [ "$1" = "--query-gpu=index,name,memory.total,driver_version" ]; then
                  echo "0, NVIDIA H200, 143771 MiB, 570.86.15"
                else
                  echo "| NVIDIA-SMI 570.86.15    Driver Version: 570.86.15    CUDA Version: 12.8 |"
                fi""");
        HostGpus host = HostGpus.detect(tmp, bin.toString());
        assertEquals(List.of("0, NVIDIA H200, 143771 MiB"), host.gpus());
        assertEquals("570.86.15", host.driverVersion());
        assertEquals("12.8", host.driverCuda());
    }

    @Test
    void aFailingNvidiaSmiIsTheReason() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(
                bin.resolve("nvidia-smi"),
                "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA" + " driver.\"; exit 9");
        HostGpus host = HostGpus.detect(tmp, bin.toString());
        assertEquals(
                "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
                host.problem());
    }

    /** A folder that looks like the root of a machine with an NVIDIA driver and one GPU. */
    public static void fakeDriver(Path root, String model) throws IOException {
        Path nvidia = Files.createDirectories(root.resolve("proc/driver/nvidia/gpus/0000:19:00.0"));
        Files.writeString(
                root.resolve("proc/driver/nvidia/version"),
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Thu Jan 23 2025\nGCC version: gcc 12\n");
        Files.writeString(nvidia.resolve("information"), "Model: \t\t " + model + "\nIRQ: 42\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
