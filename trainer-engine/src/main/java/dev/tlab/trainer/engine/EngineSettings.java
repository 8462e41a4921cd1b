package dev.tlab.trainer.engine;

import dev.tlab.contracts.ModelSpec;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.resources.ContainerCpus;
import java.nio.file.Path;

/**
 * Node-level settings of the engine (the same for every job on a trainer pod).
 *
 * @param device {@code auto} (GPU when DJL sees one), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param checkpointRoot folder holding one checkpoint folder per job id (a volume in Kubernetes)
 * @param modelCache folder for downloaded models ({@code tlab.trainer.model-cache})
 * @param dataThreads threads preparing batches
 * @param prefetch how many batches may be prepared ahead of the model, by count and by bytes
 * @param defaultModel the model of a job that names none ({@code tlab.trainer.default-model}); its uri may be null
 * @param channelsLast whether images go to the model in channels-last memory order (NHWC strides), which lets the
 *     convolutions keep that order throughout ({@code tlab.trainer.channels-last}): on, off, or
 *     {@link ChannelsLast#AUTO} decided per job; a speed setting, the results are the same computation
 * @param modelAccess where models and weights may be read or downloaded from
 */
public record EngineSettings(
        String device,
        Path checkpointRoot,
        Path modelCache,
        int dataThreads,
        PrefetchBudget prefetch,
        ModelSpec defaultModel,
        ChannelsLast channelsLast,
        ModelAccess modelAccess) {

    public EngineSettings {
        if (dataThreads < 1) {
            throw new IllegalArgumentException("dataThreads must be positive");
        }
        if (channelsLast == null) {
            throw new IllegalArgumentException("channelsLast must be set");
        }
    }

    /**
     * Data threads from this container's CPUs ({@link ContainerCpus}), at most two batches ahead per thread, within
     * half the JVM's direct-memory cap; models from the model cache folder only; channels-last decided per job.
     */
    public static EngineSettings defaults(Path checkpointRoot, Path modelCache) {
        int threads = ContainerCpus.detect().dataThreads(0);
        return new EngineSettings(
                "auto",
                checkpointRoot,
                modelCache,
                threads,
                PrefetchBudget.of(0, threads * 2),
                ModelSpec.trainerDefault(),
                ChannelsLast.AUTO,
                ModelAccess.folders(modelCache));
    }

    public EngineSettings withDevice(String value) {
        return new EngineSettings(
                value, checkpointRoot, modelCache, dataThreads, prefetch, defaultModel, channelsLast, modelAccess);
    }

    public EngineSettings withDataThreads(int threads, PrefetchBudget budget) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, threads, budget, defaultModel, channelsLast, modelAccess);
    }

    public EngineSettings withDefaultModel(ModelSpec value) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, dataThreads, prefetch, value, channelsLast, modelAccess);
    }

    public EngineSettings withChannelsLast(ChannelsLast value) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, dataThreads, prefetch, defaultModel, value, modelAccess);
    }

    public EngineSettings withModelAccess(ModelAccess value) {
        return new EngineSettings(
                device, checkpointRoot, modelCache, dataThreads, prefetch, defaultModel, channelsLast, value);
    }
}
