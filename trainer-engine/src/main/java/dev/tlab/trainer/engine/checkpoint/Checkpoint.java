package dev.tlab.trainer.engine.checkpoint;

import dev.tlab.trainer.engine.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * A complete checkpoint after {@code completedEpoch} epochs: the TorchScript module (parameters and BatchNorm buffers),
 * the optimizer state, and the metrics of the epochs done so far. RNG state needs no file: every random draw derives
 * from (seed, epoch), which is stored here. {@code classes} is the outputs of the model's classifier (null in
 * checkpoints written before it was recorded).
 */
public record Checkpoint(
        Path folder, int completedEpoch, long seed, String strategy, Integer classes, List<EpochMetrics> history) {

    public Checkpoint {
        history = List.copyOf(history);
    }

    public Path modelFile() {
        return folder.resolve(CheckpointStore.MODEL_FILE);
    }

    public Path optimizerFile() {
        return folder.resolve(CheckpointStore.OPTIMIZER_FILE);
    }
}
