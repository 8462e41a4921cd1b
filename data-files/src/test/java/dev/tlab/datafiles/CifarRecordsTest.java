package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarRecordsTest {

    @Test
    void readsLabelAndPlanes(@TempDir Path dir) throws Exception {
        byte[] data = new byte[2 * CifarFormat.RECORD_BYTES];
        data[CifarFormat.RECORD_BYTES] = 7; // label of record 1
        data[CifarFormat.RECORD_BYTES + 1 + 1024 + 5 * 32 + 3] = (byte) 200; // green, y=5, x=3
        Path file = dir.resolve("batch.bin");
        Files.write(file, data);
        CifarRecords r = CifarRecords.read(file);
        assertEquals(2, r.size());
        assertEquals(0, r.label(0));
        assertEquals(7, r.label(1));
        assertEquals(200, r.pixel(1, 1, 5, 3));
        assertEquals(8, r.labelBound());
    }

    @Test
    void truncatedDataIsAnError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CifarRecords.fromBytes(new byte[CifarFormat.RECORD_BYTES + 100]));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("record 1"), e.getMessage());
    }
}
