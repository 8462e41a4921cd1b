package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The in-memory records the trainer's tests, the benchmarks and the GPU check train on. */
class SyntheticRecordsTest {

    @Test
    void recordsTakeTheClassesInTurnAndArePureFunctionsOfTheSeed() {
        CifarRecords records = CifarRecords.fromBytes(SyntheticCifar.records(25, 7));
        assertEquals(25, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i % CifarFormat.CLASSES, records.label(i));
        }
        assertArrayEquals(SyntheticCifar.records(25, 7), SyntheticCifar.records(25, 7));
        assertFalse(Arrays.equals(SyntheticCifar.records(25, 7), SyntheticCifar.records(25, 8)));
        assertFalse(Arrays.equals(records.image(0), records.image(10)), "two images of a class differ");
    }
}
