package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingJobsRebalanceTest {
    /**
     * The callback runs inside poll(): waiting longer than max.poll.interval.ms would drop the trainer from the group.
     */
    @Test
    void theWaitStaysWellInsideThePollInterval() {
        assertEquals(
                Duration.ofMinutes(2),
                TrainingJobsRebalance.waitFor(Duration.ofMinutes(2), Duration.ofMinutes(5)),
                "the configured wait, inside Kafka's default 5 minutes");
        assertEquals(
                Duration.ofSeconds(1),
                TrainingJobsRebalance.waitFor(Duration.ofMinutes(2), Duration.ofSeconds(2)),
                "capped at half the poll interval");
    }
}
