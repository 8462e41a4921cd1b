package dev.tlab.dataset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The service's settings ({@code tlab.dataset.*}); application.properties documents every key. */
@ConfigMapping(prefix = "tlab.dataset")
public interface DatasetConfig {
    /** Folder for datasets, downloads, stored manifests and the published-jobs ledger. */
    @WithDefault("data")
    String dataDir();

    /** Base URL under which trainers reach this service (manifest and data URLs are built from it). */
    @WithDefault("http://127.0.0.1:8081")
    String publicUrl();

    /** Base URL of the results service, for the {@code watch} link of POST /experiments. */
    @WithDefault("http://127.0.0.1:8082")
    String resultsUrl();

    /** Bearer token that POST /experiments requires; empty means no token is required. */
    Optional<String> triggerToken();

    /** Bearer token that the manifests and their data (GET /manifests/...) require; empty means none is required. */
    Optional<String> readerToken();

    /** Whether a request's {@code dataset.location} may point the service at another folder, archive or URL. */
    @WithDefault("false")
    boolean allowRequestLocation();

    Cifar10 cifar10();

    Limits limits();

    /** Base URL of a trainer whose POST /plan checks requests before publishing (e.g. http://trainer-service:8083). */
    Optional<String> plannerUrl();

    /**
     * Bearer token sent to the planner's POST /plan: the trainers' {@code tlab.trainer.plan-token}. Empty: none is
     * sent.
     */
    Optional<String> planToken();

    /** How long to wait for the planner. */
    @WithDefault("PT60S")
    Duration plannerTimeout();

    /** How long POST /experiments waits for the broker to take the request before answering 503. */
    @WithDefault("PT10S")
    Duration publishTimeout();

    /** The Retry-After of a 503 when the broker cannot take the request. */
    @WithDefault("PT10S")
    Duration retryAfter();

    /** Bounds of a request, checked at the edge (REST and the experiments topic alike). */
    interface Limits {
        /** Jobs per experiment: strategies x seeds. */
        @WithDefault("64")
        int maxJobs();

        @WithDefault("16")
        int maxStrategies();

        @WithDefault("16")
        int maxSeeds();

        @WithDefault("100")
        int maxEpochs();

        @WithDefault("512")
        int maxImageSize();

        /** Patterns per strategy, and head patterns. */
        @WithDefault("32")
        int maxPatterns();

        @WithDefault("128")
        int maxPatternLength();
    }

    Synthetic synthetic();

    /** The user's own images ({@code tlab.dataset.images.*}). */
    Images images();

    interface Images {
        /** Folders a request's dataset.source.location may name, absolute or relative to them. Empty: none. */
        Optional<List<String>> roots();

        /**
         * The content-addressed store (uploads, downloads, images, indexes, scans). Empty: {@code <data-dir>/images}.
         */
        Optional<String> store();

        /** Origins a request's dataset.source.url may download from ({@code example.org}, {@code https://h:8443}). */
        Optional<List<String>> hosts();

        /** Whether downloads may go to loopback, link-local or private addresses. */
        @WithDefault("false")
        boolean privateAddresses();

        @WithDefault("4294967296")
        long downloadMaxBytes();

        @WithDefault("PT30M")
        Duration downloadTimeout();

        /** The largest archive POST /datasets takes. */
        @WithDefault("2147483648")
        long maxUploadBytes();

        /** The most classes a dataset may have. */
        @WithDefault("1000")
        int maxClasses();

        /** Threads that decode images while a source is scanned; 0: half the CPUs (at least one). */
        @WithDefault("0")
        int decodeThreads();

        /** {@code ScanLimits.maxFiles}: files, folders and archive entries of every kind. */
        @WithDefault("100000")
        int maxFiles();

        @WithDefault("67108864")
        long maxFileBytes();

        @WithDefault("8589934592")
        long maxTotalBytes();

        @WithDefault("50000000")
        long maxImagePixels();

        @WithDefault("10000000000")
        long maxTotalPixels();

        @WithDefault("16")
        int maxDepth();
    }

    interface Cifar10 {
        /** An unpacked {@code cifar-10-batches-bin} folder (or its parent). */
        Optional<String> folder();

        /** A local {@code cifar-10-binary.tar.gz}. */
        Optional<String> archive();

        /** Where to download {@code cifar-10-binary.tar.gz} from. */
        Optional<String> url();

        /** md5 that archives must have; {@code none} skips the check. */
        @WithDefault("c32a1d4ab5d03f1284b67883e8d87530")
        Optional<String> md5();

        /** Records each batch must hold (10,000 in the real distribution). */
        @WithDefault("10000")
        int recordsPerBatch();

        @WithDefault("PT30M")
        Duration downloadTimeout();
    }

    interface Synthetic {
        @WithDefault("500")
        int imagesPerClass();

        @WithDefault("100")
        int testImagesPerClass();

        @WithDefault("0")
        long seed();
    }
}
