package dev.tlab.trainer.engine.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A CPU job's peak memory is its own: the process's high-water mark is reset when the job starts. */
class PeakMemoryTest {

    @Test
    void theHighWaterMarkOfAnEarlierJobIsNotCharged() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");
        // an earlier "job": 256 MiB in libtorch, touched, then freed (glibc returns blocks this large to the system)
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray big = manager.ones(new Shape(64, 1024, 1024));
            assertEquals(64 * 1024 * 1024, big.sum().getFloat(), 1);
        }
        long before = PeakMemory.highWaterMarkBytes();
        PeakMemory.Reading reading = PeakMemory.start(Device.cpu()).reading();
        assertEquals("process-rss", reading.kind());
        assertTrue(reading.bytes() > 0, reading.toString());
        assertTrue(
                reading.bytes() < before - (200L << 20),
                "the mark was reset at the start: " + reading.bytes() + " bytes, the earlier peak " + before);
    }
}
