package dev.tlab.trainer.engine;

import dev.tlab.contracts.ModelSpec;
import java.nio.file.Path;

/**
 * Node-level settings of the engine (the same for every job on a trainer pod).
 *
 * @param device {@code auto} (GPU when DJL sees one), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param checkpointRoot folder holding one checkpoint folder per job id (a volume in Kubernetes)
 * @param modelCache folder for downloaded models ({@code tlab.trainer.model-cache})
 * @param dataThreads threads preparing batches
 * @param prefetchBatches how many batches may be prepared ahead of the model
 * @param defaultModel the model of a job that names none ({@code tlab.trainer.default-model}); its uri may be null
 * @param channelsLast whether images go to the model in channels-last memory order (NHWC strides), which lets the
 *     convolutions keep that order throughout ({@code tlab.trainer.channels-last}); a speed setting, the results are
 *     the same computation
 */
public record EngineSettings(
        String device,
        Path checkpointRoot,
        Path modelCache,
        int dataThreads,
        int prefetchBatches,
        ModelSpec defaultModel,
        boolean channelsLast) {

    public EngineSettings {
        if (dataThreads < 1 || prefetchBatches < 1) {
            throw new IllegalArgumentException("dataThreads and prefetchBatches must be positive");
        }
    }

    public static EngineSettings defaults(Path checkpointRoot, Path modelCache) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
        return new EngineSettings(
                "auto", checkpointRoot, modelCache, threads, threads * 2, ModelSpec.trainerDefault(), false);
    }

    public EngineSettings withDevice(String value) {
        return new EngineSettings(
                value, checkpointRoot, modelCache, dataThreads, prefetchBatches, defaultModel, channelsLast);
    }

    public EngineSettings withDataThreads(int threads, int prefetch) {
        return new EngineSettings(device, checkpointRoot, modelCache, threads, prefetch, defaultModel, channelsLast);
    }

    public EngineSettings withDefaultModel(ModelSpec value) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, dataThreads, prefetchBatches, value, channelsLast);
    }

    public EngineSettings withChannelsLast(boolean value) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, dataThreads, prefetchBatches, defaultModel, value);
    }
}
