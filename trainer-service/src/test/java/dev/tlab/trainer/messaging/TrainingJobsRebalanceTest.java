package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.trainer.job.StopReason;
import dev.tlab.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The rebalance callback's own rules; the whole flow against the real broker is RevocationTest. */
class TrainingJobsRebalanceTest {
    private static final TopicPartition PARTITION = new TopicPartition("training-jobs", 4);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunningJob running = new RunningJob();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

    TrainingJobsRebalanceTest() {
        consumer.assign(List.of(PARTITION, new TopicPartition("training-jobs", 1)));
    }

    private OffsetAndMetadata committed() {
        return consumer.committed(Set.of(PARTITION)).get(PARTITION);
    }

    private TrainingJobsRebalance rebalance(Duration wait) {
        return new TrainingJobsRebalance(running, new TrainerMetrics(registry), wait);
    }

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

    @Test
    void aJobThatDoesNotStopInTimeIsFencedAndCounted() {
        JobLease lease = new JobLease(PARTITION, 17, () -> false);
        running.start(lease);
        rebalance(Duration.ofMillis(50)).onPartitionsRevoked(consumer, List.of(PARTITION));
        assertEquals(Optional.of(StopReason.REVOKED), lease.stopRequested());
        assertTrue(lease.fenced(), "it may publish nothing more: another trainer may own it now");
        assertEquals(
                1.0, registry.get("tl.trainer.revocation.timeouts").counter().count());
        assertEquals(null, committed(), "its offset stays uncommitted");
    }

    /**
     * SmallRye has forgotten the partition by then, so the job's late acknowledgement would be lost: commit it here.
     */
    @Test
    void aJobThatEndsWithAResultWhileTheCallbackWaitsHasItsOffsetCommitted() {
        JobLease lease = new JobLease(PARTITION, 17, () -> false);
        running.start(lease);
        CompletableFuture.runAsync(() -> {
            while (lease.stopRequested().isEmpty()) {
                Thread.onSpinWait();
            }
            running.finish(lease, true); // it was publishing JobCompleted
        });
        rebalance(Duration.ofSeconds(30)).onPartitionsRevoked(consumer, List.of(PARTITION));
        assertEquals(new OffsetAndMetadata(18), committed());
        assertFalse(lease.fenced());
    }

    @Test
    void aStoppedJobsOffsetStaysUncommittedAndOtherPartitionsLeaveItAlone() {
        JobLease lease = new JobLease(PARTITION, 17, () -> false);
        running.start(lease);
        rebalance(Duration.ofSeconds(30))
                .onPartitionsRevoked(consumer, List.of(new TopicPartition("training-jobs", 1)));
        assertEquals(Optional.empty(), lease.stopRequested(), "another partition's revocation is not this job's");

        CompletableFuture.runAsync(() -> {
            while (lease.stopRequested().isEmpty()) {
                Thread.onSpinWait();
            }
            running.finish(lease, false); // stopped at a batch, for its next owner
        });
        rebalance(Duration.ofSeconds(30)).onPartitionsRevoked(consumer, List.of(PARTITION));
        assertEquals(null, committed());
        assertFalse(lease.fenced());
    }
}
