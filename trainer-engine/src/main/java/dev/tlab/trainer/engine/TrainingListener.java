package dev.tlab.trainer.engine;

/** Progress callbacks of one job, called on the training thread in order. */
public interface TrainingListener {

    /** Before the first epoch to run (after a resume: the first epoch not yet done). */
    default void onStart(JobStart start) {}

    /** After each epoch's training pass and its checkpoint. */
    default void onEpoch(EpochMetrics metrics) {}

    TrainingListener NONE = new TrainingListener() {};

    /**
     * @param resumedAfterEpoch 0 for a fresh start, else the epochs already done by an earlier attempt
     * @param device e.g. {@code cpu()} or {@code gpu(0)}
     */
    record JobStart(
            String jobId,
            String strategy,
            long trainableParameters,
            long totalParameters,
            int resumedAfterEpoch,
            int totalEpochs,
            String device) {}
}
