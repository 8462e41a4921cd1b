package dev.tlab.trainer;

import dev.tlab.trainer.engine.ChannelsLast;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
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

    /**
     * Bytes of decoded images (3 bytes a pixel, originals) a job of the user's images keeps in memory so that later
     * epochs do not decode them again; 0: none.
     */
    @WithDefault("1073741824")
    long decodedImageCacheBytes();

    /** Bearer token for the dataset service's manifests and data (its tlab.dataset.reader-token). */
    Optional<String> datasetToken();

    /**
     * The dataset service's base URL: the only origin (scheme, host, port) the trainer sends requests and its token to;
     * a job whose manifest or data URLs point elsewhere fails.
     */
    @WithDefault("http://127.0.0.1:8081")
    String datasetUrl();

    /**
     * How long a revoked partition's running job is waited for to stop at its next batch before the partition is let go
     * (capped at half of the channel's max.poll.interval.ms).
     */
    @WithDefault("PT2M")
    Duration revocationTimeout();

    Startup startup();

    /** The training device check at start (see TrainingDeviceGate). */
    interface Startup {
        /** A trainer whose device is still unusable this long after its start exits with code 3. */
        @WithDefault("PT5M")
        Duration deadline();

        /** How often an unusable device is probed again until then. */
        @WithDefault("PT30S")
        Duration probeInterval();
    }

    Kubernetes kubernetes();

    /** The trainer's own Pod, patched through the Kubernetes API (see PodDeletionCost). */
    interface Kubernetes {
        /** Set this pod's controller.kubernetes.io/pod-deletion-cost: -1000 while idle, 1000 while it trains. */
        @WithDefault("false")
        boolean podDeletionCost();

        /** The Kubernetes API server. */
        @WithDefault("https://kubernetes.default.svc")
        String apiUrl();

        /** The service account token sent as a bearer token (read again for every request: it is rotated). */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        Path tokenFile();

        /** The CA certificate(s) the API server's TLS certificate must chain to. */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
        Path caFile();

        /** This pod's name (env POD_NAME, from the downward API). */
        Optional<String> podName();

        /** This pod's namespace (env POD_NAMESPACE, from the downward API). */
        Optional<String> podNamespace();
    }

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

    /**
     * Whether images go to the model in channels-last (NHWC) memory order: {@code auto} decides per job where it was
     * measured faster ({@link ChannelsLast}), {@code true} or {@code false} for every job; a speed setting.
     */
    @WithDefault("auto")
    @WithConverter(ChannelsLastConverter.class)
    ChannelsLast channelsLast();

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
