package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job never fails for prefetch memory: in a JVM whose direct memory is capped at 12 MB (as a large node's threads
 * against a small pod's cap, scaled down), the same real job with 8 data threads and up to 16 batches ahead (27 MB of
 * 1.5 MB evaluation batches) completes with the budget derived from the cap, and fails as it used to when the budget
 * lets the threads decide.
 */
class PrefetchMemoryTest {

    @Test
    void theDerivedBudgetFitsTheCapWhereTheThreadsDoNot() throws Exception {
        ChildJvm.Run derived = run("0");
        assertEquals(0, derived.exitCode(), derived.output());
        assertTrue(derived.output().contains("accuracy="), derived.output());

        ChildJvm.Run threadsDecide = run(Long.toString(1L << 30));
        assertNotEquals(0, threadsDecide.exitCode(), threadsDecide.output());
        assertTrue(
                threadsDecide.output().contains("Cannot reserve")
                        && threadsDecide.output().contains("direct buffer memory"),
                threadsDecide.output());
    }

    private static ChildJvm.Run run(String budget) throws IOException, InterruptedException {
        return ChildJvm.run(
                List.of("-XX:MaxDirectMemorySize=12m", "-Dai.djl.pytorch.num_threads=1"),
                DirectMemoryJob.class,
                budget);
    }
}
