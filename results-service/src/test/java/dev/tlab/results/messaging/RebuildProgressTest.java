package dev.tlab.results.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RebuildProgressTest {
    @Test
    void caughtUpOnlyOnceEveryPartitionReachedWhereItEndedAtStart() {
        RebuildProgress progress = new RebuildProgress();
        assertFalse(progress.caughtUp(), "no targets yet: the end offsets are still being read");
        progress.targets(Map.of(
                new TopicPartition("training-events", 0), new RebuildProgress.Range(0, 10),
                new TopicPartition("training-events", 1), new RebuildProgress.Range(5, 5), // empty or all expired
                new TopicPartition("training-jobs", 0), new RebuildProgress.Range(100, 103))); // older records expired
        assertEquals(Map.of("training-events-0", 10L, "training-jobs-0", 3L), progress.behind());
        for (long offset = 0; offset < 9; offset++) {
            progress.processed("training-events", 0, offset);
        }
        progress.processed("training-jobs", 0, 102);
        assertFalse(progress.caughtUp());
        assertEquals(Map.of("training-events-0", 1L), progress.behind());
        progress.processed("training-events", 0, 9);
        assertTrue(progress.caughtUp());
        progress.processed("training-events", 0, 5); // a redelivery of an older offset changes nothing
        assertTrue(progress.caughtUp(), "once caught up, it stays so");
    }
}
