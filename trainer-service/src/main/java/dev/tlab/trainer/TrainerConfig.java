package dev.tlab.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The trainer's settings ({@code tlab.trainer.*}); each key is documented in application.properties. */
@ConfigMapping(prefix = "tlab.trainer")
public interface TrainerConfig {
    /** {@code auto} (GPU when DJL sees one), {@code cpu}, {@code gpu} or {@code gpu:N}. */
    @WithDefault("auto")
    String device();

    /** The model used when a job names none. */
    Optional<String> defaultModel();

    /** Checksum of the default model, verified when it is downloaded. */
    Optional<String> defaultModelSha256();

    Path checkpointDir();

    Path modelCache();

    Path dataCache();

    /** Bearer token for the dataset service's manifests and data (its tlab.dataset.reader-token). */
    Optional<String> datasetToken();

    /** Threads that prepare batches ahead of the model; 0 = half the cores (at least 2). */
    @WithDefault("0")
    int dataThreads();

    /** Batches prepared ahead; 0 = twice the data threads. */
    @WithDefault("0")
    int prefetchBatches();

    /** A name for this replica in logs and events (the pod name in Kubernetes). */
    @WithDefault("trainer")
    String instance();
}
