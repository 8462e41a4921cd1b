package dev.tlab.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.engine.checkpoint.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRetentionTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

    @Test
    void checkpointsOfFinishedJobsAreRemovedOnceOlderThanTheRetentionAndRunningJobsKeepTheirs() {
        CheckpointStore store = new CheckpointStore(root);
        AttemptCounter attempts = new AttemptCounter(root);
        CheckpointRetention retention = new CheckpointRetention(store, attempts, Duration.ofHours(24), clock);
        checkpoint(store, "done");
        checkpoint(store, "running");
        attempts.next("done", 1);

        retention.finished("done");
        clock.advance(Duration.ofHours(23));
        assertEquals(List.of(), retention.removeExpired(), "kept during the retention");
        assertTrue(Files.isDirectory(root.resolve("done")));

        clock.advance(Duration.ofHours(2));
        assertEquals(List.of("done"), retention.removeExpired());
        assertFalse(Files.exists(root.resolve("done")));
        assertFalse(Files.exists(root.resolve("attempts/done")), "its attempt count goes with it");
        assertTrue(Files.isDirectory(root.resolve("running")), "a job that has not finished keeps its checkpoints");
        assertTrue(Files.isDirectory(root.resolve("attempts")));
    }

    @Test
    void aFinishedJobThatRunsAgainKeepsItsCheckpoints() {
        CheckpointStore store = new CheckpointStore(root);
        CheckpointRetention retention =
                new CheckpointRetention(store, new AttemptCounter(root), Duration.ofHours(1), clock);
        checkpoint(store, "again");
        retention.finished("again");
        retention.running("again"); // redelivered after its result was published
        clock.advance(Duration.ofDays(3));
        assertEquals(List.of(), retention.removeExpired());
    }

    @Test
    void zeroRemovesThemAsSoonAsTheJobFinished() {
        CheckpointStore store = new CheckpointStore(root);
        CheckpointRetention retention = new CheckpointRetention(store, new AttemptCounter(root), Duration.ZERO, clock);
        checkpoint(store, "quick");
        retention.finished("quick");
        assertFalse(Files.exists(root.resolve("quick")));
    }

    private static void checkpoint(CheckpointStore store, String jobId) {
        store.save(
                jobId,
                1,
                0,
                "partial",
                List.of(new EpochMetrics(1, 2, 1.0, 0.5, 1.0, 10.0, 0.0, 10)),
                out -> out.write(1),
                out -> out.write(2));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
