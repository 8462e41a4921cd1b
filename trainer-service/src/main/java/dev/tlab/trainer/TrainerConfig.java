package dev.tlab.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** Threads that prepare batches ahead of the model; 0 = half the container's CPUs (at least 2). */
    @WithDefault("0")
    int dataThreads();

    /** The most batches prepared ahead; 0 = twice the data threads. */
    @WithDefault("0")
    int prefetchBatches();

    /** Bytes the batches prepared ahead may take; 0 = half the JVM's direct-memory cap. */
    @WithDefault("0")
    long prefetchBytes();

    /** Folders models and pretrained weights may be read from (no link or {@code ..} out of them). */
    @WithDefault("${tlab.trainer.model-cache}")
    List<Path> modelRoots();

    /** Origins models and weights may be downloaded from: hosts (https), {@code http://host:port}, {@code djl://}. */
    Optional<List<String>> modelHosts();

    /** Whether a model host may resolve to a loopback, link-local, private or unique-local address. */
    @WithDefault("false")
    boolean modelPrivateAddresses();

    /** The largest model or weights file downloaded. */
    @WithDefault("536870912")
    long modelDownloadMaxBytes();

    /** The longest a model or weights download may take, request to last byte. */
    @WithDefault("PT2M")
    Duration modelDownloadTimeout();

    /** The bearer token POST /plan requires; unset: /plan is closed (503). */
    Optional<String> planToken();

    /** Bounds of a POST /plan request (keep them at least the dataset service's tlab.dataset.limits.*). */
    Limits limits();

    /** The bounds of a plan request. */
    interface Limits {
        @WithDefault("16")
        int maxStrategies();

        /** Patterns per strategy, and head patterns. */
        @WithDefault("32")
        int maxPatterns();

        @WithDefault("128")
        int maxPatternLength();
    }

    /** Images go to the model in channels-last (NHWC) memory order; a speed setting. */
    @WithDefault("false")
    boolean channelsLast();

    /** A name for this replica in run records and logs (the pod name in Kubernetes). */
    @WithDefault("trainer")
    String instance();

    /** How long the checkpoints of a finished job are kept before they are removed; 0 = at once. */
    @WithDefault("PT24H")
    Duration checkpointRetention();

    /** How often expired checkpoints are looked for. */
    @WithDefault("PT10M")
    Duration checkpointSweepInterval();

    /**
     * Folder of the fine-tuned models of completed jobs (on the shared models volume; the results service reads it).
     */
    Path modelStore();

    /** How long an experiment's fine-tuned models are kept after the newest was written. */
    @WithDefault("P30D")
    Duration modelRetention();

    Retry retry();

    /** Retries of failed jobs (see RetryPolicy). */
    interface Retry {
        /** How many attempts of a job may fail before it is reported failed for good (1 = never retry). */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry; it doubles for each further one. */
        @WithDefault("PT10S")
        Duration initialBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("PT5M")
        Duration maxBackoff();
    }
}
