package dev.tlab.trainer.job;

/** How a job run ended, which decides whether its message is acknowledged. */
public enum JobOutcome {
    /** JobCompleted was published: acknowledge. */
    COMPLETED,
    /** JobFailed was published and the failure is final (budget spent, or it cannot succeed): acknowledge. */
    FAILED,
    /** JobFailed was published and the job's next attempt was published to training-jobs: acknowledge this one. */
    RETRIED,
    /** The experiment was cancelled and JobCancelled was published: acknowledge. */
    CANCELLED,
    /**
     * Stopped without a result (a shutdown, its partition revoked, a device fault; see {@link StopReason}): not
     * acknowledged, so its next owner resumes it from its checkpoint, without spending its retry budget.
     */
    INTERRUPTED;

    /** Whether the job's record is done with: its offset may be committed. */
    public boolean acknowledged() {
        return this != INTERRUPTED;
    }
}
