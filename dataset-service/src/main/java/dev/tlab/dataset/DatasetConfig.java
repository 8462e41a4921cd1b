package dev.tlab.dataset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The service's settings ({@code tlab.dataset.*}); application.properties documents every key. */
@ConfigMapping(prefix = "tlab.dataset")
public interface DatasetConfig {
    /** Folder for datasets, downloads, stored manifests and the published-jobs ledger. */
    @WithDefault("data")
    String dataDir();

    /** Base URL under which trainers reach this service (manifest and data URLs are built from it). */
    @WithDefault("http://localhost:8081")
    String publicUrl();

    /** Base URL of the results service, for the {@code watch} link of POST /experiments. */
    @WithDefault("http://localhost:8082")
    String resultsUrl();

    /** Bearer token that POST /experiments requires; empty means no token is required. */
    Optional<String> triggerToken();

    /** Bearer token that the manifests and their data (GET /manifests/...) require; empty means none is required. */
    Optional<String> readerToken();

    /** Whether a request's {@code dataset.location} may point the service at another folder, archive or URL. */
    @WithDefault("false")
    boolean allowRequestLocation();

    Cifar10 cifar10();

    Synthetic synthetic();

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
