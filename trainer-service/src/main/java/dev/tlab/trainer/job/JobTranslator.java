package dev.tlab.trainer.job;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.Hyperparameters;
import dev.tlab.trainer.engine.Strategy;
import dev.tlab.trainer.engine.TrainingJob;
import dev.tlab.trainer.engine.model.ModelSource;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import java.util.Optional;

/** Turns a job message of the contracts into the engine's terms, filling in the trainer's default model. */
public final class JobTranslator {
    private final Optional<String> defaultModel;
    private final Optional<String> defaultModelSha256;

    public JobTranslator(Optional<String> defaultModel, Optional<String> defaultModelSha256) {
        this.defaultModel = defaultModel;
        this.defaultModelSha256 = defaultModelSha256;
    }

    public TrainingJob toEngineJob(dev.tlab.contracts.TrainingJob job) {
        return new TrainingJob(job.jobId().toString(), model(job.model()), strategy(job.strategy()),
                hyperparameters(job.hyperParameters()), job.seed());
    }

    public ModelSource model(ModelSpec spec) {
        ModelSource weights = spec == null || spec.weightsUri() == null ? null
                : new ModelSource(spec.weightsUri(), spec.weightsSha256());
        if (spec != null && spec.uri() != null) {
            return new ModelSource(spec.uri(), spec.sha256(), weights);
        }
        return new ModelSource(defaultModel.orElseThrow(() -> new ModelUnavailableException(
                "The job names no model and tlab.trainer.default-model is not set")), defaultModelSha256.orElse(null),
                weights);
    }

    public static Strategy strategy(StrategySpec spec) {
        return Strategy.of(spec.name(), spec.trainable());
    }

    public static Hyperparameters hyperparameters(HyperParameters hp) {
        return new Hyperparameters(hp.epochs(), hp.trainBatchSize(), hp.evalBatchSize(),
                hp.backboneLearningRate().floatValue(), hp.headLearningRate().floatValue(), hp.weightDecay().floatValue(),
                hp.beta1().floatValue(), hp.beta2().floatValue(), hp.epsilon().floatValue(), hp.imageSize(),
                hp.headPatterns());
    }
}
