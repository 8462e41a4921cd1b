package dev.tlab.trainer.engine;

import dev.tlab.trainer.engine.resources.PeakMemory;
import java.util.List;

/**
 * The outcome of a finished job; {@code epochs} covers every epoch, including those of earlier attempts.
 * {@code testAccuracy} is {@code evaluation}'s; {@code peakMemory} is the job's (see {@link PeakMemory}).
 */
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
        String device,
        TestEvaluation evaluation,
        PeakMemory.Reading peakMemory) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** The training epochs' seconds added up (every epoch of the job, earlier attempts' included). */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }

    /** The images those epochs trained. */
    public long trainImages() {
        return epochs.stream().mapToLong(EpochMetrics::samples).sum();
    }
}
