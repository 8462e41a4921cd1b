package dev.tlab.trainer.engine;

/**
 * One finished training epoch (1-based), as the listener receives it.
 *
 * @param loss mean cross-entropy over the epoch's samples
 * @param trainAccuracy fraction 0..1 of training samples predicted right (in training mode, augmented)
 * @param seconds wall time of the epoch's training pass
 * @param imagesPerSecond samples / seconds
 * @param dataWaitSeconds time the training loop was blocked waiting for prepared batches
 */
public record EpochMetrics(
        int epoch,
        int totalEpochs,
        double loss,
        double trainAccuracy,
        double seconds,
        double imagesPerSecond,
        double dataWaitSeconds,
        int samples) {}
