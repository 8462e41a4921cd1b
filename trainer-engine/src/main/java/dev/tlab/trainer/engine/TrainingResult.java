package dev.tlab.trainer.engine;

import java.util.List;

/** The outcome of a finished job; {@code epochs} covers every epoch, including those of earlier attempts. */
public record TrainingResult(
        String jobId,
        String strategy,
        long trainableParameters,
        long totalParameters,
        double testAccuracy,
        int testSamples,
        List<EpochMetrics> epochs,
        int resumedAfterEpoch,
        double wallSeconds,
        String device) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
