package dev.tlab.trainer.job;

import java.util.Optional;

/**
 * What the trainer tells a running job from outside: whether it must stop at its next safe point (a batch boundary),
 * and whether it may still publish. A stopped job is not finished: it keeps its checkpoint, reports nothing more and is
 * not acknowledged, so whoever gets its record next resumes it after its last completed epoch.
 */
public interface JobControl {
    /** Why the job must stop, empty while it may go on. */
    Optional<StopReason> stopRequested();

    /**
     * True once another trainer may own the job (its partition was revoked and the trainer stopped waiting for it):
     * from then on it publishes nothing, or an epoch or result could be reported twice.
     */
    boolean fenced();

    /** A job that runs to its end (the trainer is not stopping, nothing is revoked). */
    JobControl UNTIL_DONE = new JobControl() {
        @Override
        public Optional<StopReason> stopRequested() {
            return Optional.empty();
        }

        @Override
        public boolean fenced() {
            return false;
        }
    };
}
