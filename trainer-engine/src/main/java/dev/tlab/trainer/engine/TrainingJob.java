package dev.tlab.trainer.engine;

import dev.tlab.trainer.engine.model.ModelSource;
import java.util.Objects;

/**
 * One strategy to train. {@code jobId} names the checkpoint folder, so a redelivered job with the same
 * id resumes; {@code seed} drives shuffling and augmentation.
 */
public record TrainingJob(String jobId, ModelSource model, Strategy strategy, Hyperparameters hyperparameters,
                          long seed) {

    public TrainingJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
    }
}
