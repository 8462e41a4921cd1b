package dev.tlab.trainer.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Batches ahead from a byte budget: the case of issue 29 (a large node, 224 px evaluation batches) and the limits. */
class PrefetchBudgetTest {
    private static final long GIB = 1L << 30;

    @Test
    void aLargeNodesThreadsNoLongerDecideTheMemory() {
        long evalBatch = Batch.bytes(128, 224);
        assertEquals(77_070_336, evalBatch, "an evaluation batch at 224 px");
        // 112 vCPUs: 56 data threads, up to 112 ahead; a 16 GiB pod with MaxRAMPercentage=25 caps direct memory at 4
        // GiB
        PrefetchBudget budget = new PrefetchBudget(2 * GIB, 112);
        int ahead = budget.batchesAhead(evalBatch);
        assertEquals(25, ahead);
        assertTrue((ahead + 2) * evalBatch <= 2 * GIB, "what a pass holds stays within the budget");
        assertEquals(53, budget.batchesAhead(Batch.bytes(64, 224)), "training batches are half the size");
    }

    @Test
    void theCountStillBoundsAndOneBatchAheadIsTheLeast() {
        assertEquals(4, new PrefetchBudget(GIB, 4).batchesAhead(Batch.bytes(64, 32)));
        assertEquals(1, new PrefetchBudget(1, 8).batchesAhead(Batch.bytes(128, 224)), "never zero: it prefetches less");
        assertThrows(IllegalArgumentException.class, () -> new PrefetchBudget(0, 1));
    }

    @Test
    void anUnsetBudgetIsHalfTheDirectMemoryCap() {
        PrefetchBudget derived = PrefetchBudget.of(0, 8);
        assertEquals((long) (dev.tlab.trainer.engine.resources.DirectMemory.max() * 0.5), derived.bytes());
        assertEquals(12345, PrefetchBudget.of(12345, 8).bytes());
    }
}
