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
    /** Stopped by a shutdown: do not acknowledge, so another replica resumes it from its checkpoint. */
    INTERRUPTED
}
