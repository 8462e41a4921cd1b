package dev.tlab.trainer.engine;

/**
 * One finished training epoch (1-based), as the listener receives it.
 *
 * @param loss mean cross-entropy over the epoch's samples
 * @param trainAccuracy fraction 0..1 of training samples predicted right (in training mode, augmented)
 * @param seconds wall time of the epoch's training pass
 * @param imagesPerSecond samples / seconds
 * @param dataWaitSeconds time the training loop was blocked waiting for prepared batches
 * @param valLoss mean cross-entropy of the eval-mode pass over the validation split after the epoch; null when the job
 *     does not select its epoch on validation
 * @param valAccuracy that pass's accuracy, null with it
 * @param valSeconds that pass's wall time, null with it
 */
public record EpochMetrics(
        int epoch,
        int totalEpochs,
        double loss,
        double trainAccuracy,
        double seconds,
        double imagesPerSecond,
        double dataWaitSeconds,
        int samples,
        Double valLoss,
        Double valAccuracy,
        Double valSeconds) {

    /** An epoch without validation. */
    public EpochMetrics(
            int epoch,
            int totalEpochs,
            double loss,
            double trainAccuracy,
            double seconds,
            double imagesPerSecond,
            double dataWaitSeconds,
            int samples) {
        this(
                epoch,
                totalEpochs,
                loss,
                trainAccuracy,
                seconds,
                imagesPerSecond,
                dataWaitSeconds,
                samples,
                null,
                null,
                null);
    }

    /** The same epoch with its validation figures. */
    public EpochMetrics withValidation(double newValLoss, double newValAccuracy, double newValSeconds) {
        return new EpochMetrics(
                epoch,
                totalEpochs,
                loss,
                trainAccuracy,
                seconds,
                imagesPerSecond,
                dataWaitSeconds,
                samples,
                newValLoss,
                newValAccuracy,
                newValSeconds);
    }

    public boolean validated() {
        return valAccuracy != null && valLoss != null && valSeconds != null;
    }
}
