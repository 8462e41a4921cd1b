package dev.tlab.trainer.job;

/** How a job run ended, which decides whether its message is acknowledged. */
public enum JobOutcome {
    /** JobCompleted was published: acknowledge. */
    COMPLETED,
    /** JobFailed was published: acknowledge (the failure is reported, not retried forever). */
    FAILED,
    /** Stopped by a shutdown: do not acknowledge, so another replica resumes it from its checkpoint. */
    INTERRUPTED
}
