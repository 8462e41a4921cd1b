package dev.tlab.trainer.engine.speed;

import dev.tlab.trainer.engine.optim.PyTorchAdamW;

/**
 * The measured speed of one strategy, and what it means for the notebook's experiment.
 *
 * @param fedImagesPerSecond training images per second fed by the trainer's batch pipeline (what a job sees)
 * @param modelImagesPerSecond the same steps on one prepared batch (the device's rate without the pipeline)
 * @param dataWaitShare the share of the fed steps' time spent waiting for batches
 * @param memoryInUse device memory in use after the strategy's steps (0 on a CPU)
 * @param optimizerStep what the last optimizer step handed to the device: its fused kernel calls and the tensors it
 *     made from host numbers (each a blocking host-to-device copy on a GPU; the "host syncs per step")
 */
public record StrategySpeed(
        String strategy,
        long trainable,
        double loadSeconds,
        double warmUpSeconds,
        double fedImagesPerSecond,
        double modelImagesPerSecond,
        double dataWaitShare,
        double evalImagesPerSecond,
        double checkpointSeconds,
        long memoryInUse,
        PyTorchAdamW.StepTrace optimizerStep) {

    /** The notebook's experiment (the spec's section 2): per strategy, 10 epochs of 3,000 images, then 10,000 tests. */
    public static final int EPOCHS = 10;

    public static final int TRAIN_IMAGES = 3000;
    public static final int TEST_IMAGES = 10000;

    /** The strategy's share of the notebook's experiment, as one trainer job would run it. */
    public double projectedSeconds() {
        return loadSeconds
                + warmUpSeconds
                + EPOCHS * ((double) TRAIN_IMAGES / fedImagesPerSecond + checkpointSeconds)
                + TEST_IMAGES / evalImagesPerSecond;
    }
}
