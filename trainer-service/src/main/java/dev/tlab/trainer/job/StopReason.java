package dev.tlab.trainer.job;

/** Why a job stopped before its end without a result (a tag of {@code tl_trainer_jobs_interrupted_total}). */
public enum StopReason {
    /** The trainer is shutting down. */
    SHUTDOWN("shutdown"),
    /** Its partition of training-jobs went to another trainer (a rebalance, e.g. when a trainer joined). */
    REVOKED("revoked"),
    /** The training device became unusable: the trainer reports itself dead and its job goes to another one. */
    DEVICE_FAULT("device-fault");

    private final String tag;

    StopReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag and log word. */
    public String tag() {
        return tag;
    }
}
