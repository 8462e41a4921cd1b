package dev.tlab.trainer.data;

import dev.tlab.trainer.engine.data.LabelledImages;

/**
 * What one job trains and is tested on, as the engine's data threads read it: CIFAR-10 records, or the user's own
 * images (the manifest's training subset and test split), verified against their manifest.
 *
 * @param val the validation split, fetched only for a job that selects its epoch on it; null otherwise (and for
 *     CIFAR-10, which has none)
 * @param classes the class count the model's classifier is given (the user's images), or null (CIFAR-10: the model's
 *     own head)
 */
public record TrainingData(LabelledImages train, LabelledImages val, LabelledImages test, Integer classes) {}
