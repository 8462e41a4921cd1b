package dev.tlab.trainer.engine;

import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.trainer.engine.resources.PeakMemory;
import java.util.List;

/**
 * The outcome of a finished job; {@code epochs} covers every epoch, including those of earlier attempts.
 * {@code testAccuracy} is {@code evaluation}'s; {@code peakMemory} is the job's (see {@link PeakMemory}).
 * {@code selection} is the epoch tested and why for a job with an epoch selection (its evaluation is that epoch's),
 * null otherwise.
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
        PeakMemory.Reading peakMemory,
        SelectedEpoch selection,
        long validationImages) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** The training epochs' seconds added up (every epoch of the job, earlier attempts' included). */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }

    /** The validation passes' seconds added up (0 without an epoch selection). */
    public double validationSeconds() {
        return epochs.stream()
                .filter(EpochMetrics::validated)
                .mapToDouble(EpochMetrics::valSeconds)
                .sum();
    }

    /** The images those epochs trained. */
    public long trainImages() {
        return epochs.stream().mapToLong(EpochMetrics::samples).sum();
    }
}
