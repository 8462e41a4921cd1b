package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTest {

    @Test
    void readsKibibyteLinesOfProcStatus() {
        List<String> status =
                List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t  2673664 kB", "VmRSS:\t 1024 kB");
        assertEquals(2_673_664, Memory.parseKiB(status, "VmHWM:"));
        assertEquals(1024, Memory.parseKiB(status, "VmRSS:"));
        assertTrue(Double.isNaN(Memory.parseKiB(status, "VmSwap:")));
    }
}
