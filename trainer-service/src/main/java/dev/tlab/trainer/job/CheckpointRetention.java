package dev.tlab.trainer.job;

import dev.tlab.trainer.engine.checkpoint.CheckpointStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the checkpoints of a finished job for {@code retention}, then removes them (and the job's attempt count), so
 * that the shared checkpoint volume does not fill up with jobs that are done. Zero removes them as soon as the job
 * finished.
 */
public final class CheckpointRetention {
    private static final Logger LOG = Logger.getLogger(CheckpointRetention.class);

    private final CheckpointStore checkpoints;
    private final AttemptCounter attempts;
    private final Duration retention;
    private final Clock clock;

    public CheckpointRetention(CheckpointStore checkpoints, AttemptCounter attempts, Duration retention, Clock clock) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException(
                    "tlab.trainer.checkpoint-retention must not be negative, was " + retention);
        }
        this.checkpoints = checkpoints;
        this.attempts = attempts;
        this.retention = retention;
        this.clock = clock;
    }

    /** The job will not run again: its checkpoints count down from now. */
    public void finished(String jobId) {
        checkpoints.markFinished(jobId, clock.instant());
        if (retention.isZero()) {
            removeExpired();
        }
    }

    /** The job runs (again): its checkpoints stay. */
    public void running(String jobId) {
        checkpoints.markRunning(jobId);
    }

    /** Removes what has been kept longer than the retention; returns the job ids removed. */
    public synchronized List<String> removeExpired() {
        List<String> removed = checkpoints.deleteFinishedBefore(
                clock.instant().minus(retention).plusNanos(1));
        for (String jobId : removed) {
            attempts.forget(jobId);
        }
        if (!removed.isEmpty()) {
            LOG.infof(
                    "removed the checkpoints of %d finished job(s) kept longer than %s: %s",
                    removed.size(), retention, removed);
        }
        return removed;
    }
}
