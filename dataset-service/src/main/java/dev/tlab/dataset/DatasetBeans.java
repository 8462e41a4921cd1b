package dev.tlab.dataset;

import dev.tlab.contracts.RequestLimits;
import dev.tlab.dataset.experiment.ExperimentRegistry;
import dev.tlab.dataset.experiment.JobLedger;
import dev.tlab.dataset.experiment.PlanCheck;
import dev.tlab.dataset.images.ArchiveDownloads;
import dev.tlab.dataset.images.ImageSources;
import dev.tlab.dataset.images.ImageStore;
import dev.tlab.dataset.images.UploadedDatasets;
import dev.tlab.dataset.manifest.ManifestStore;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.messaging.KafkaEventPublisher;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.images.ScanLimits;
import dev.tlab.messaging.CancelledExperiments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Wires the plain domain classes into CDI from {@link DatasetConfig}. */
@ApplicationScoped
public class DatasetBeans {

    @Produces
    @Singleton
    CifarSources cifarSources(DatasetConfig config) {
        DatasetConfig.Cifar10 cifar = config.cifar10();
        DatasetConfig.Synthetic synthetic = config.synthetic();
        if (synthetic.imagesPerClass() < 1 || synthetic.testImagesPerClass() < 1) {
            throw new IllegalArgumentException(
                    "tlab.dataset.synthetic.images-per-class and .test-images-per-class must be at least 1");
        }
        return new CifarSources(new CifarSources.Settings(
                dataDir(config),
                cifar.folder().filter(s -> !s.isBlank()).map(Path::of),
                cifar.archive().filter(s -> !s.isBlank()).map(Path::of),
                cifar.url().filter(s -> !s.isBlank()).map(URI::create),
                cifar.md5().map(String::strip).filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("none")),
                cifar.recordsPerBatch(),
                cifar.downloadTimeout(),
                synthetic.imagesPerClass(),
                synthetic.testImagesPerClass(),
                synthetic.seed(),
                config.allowRequestLocation()));
    }

    @Produces
    @Singleton
    ImageStore imageStore(DatasetConfig config) {
        return new ImageStore(config.images()
                .store()
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(dataDir(config).resolve("images")));
    }

    @Produces
    @Singleton
    ArchiveDownloads archiveDownloads(DatasetConfig config, ImageStore store) {
        DatasetConfig.Images images = config.images();
        return new ArchiveDownloads(
                new ArchiveDownloads.Settings(
                        ArchiveDownloads.Settings.origins(images.hosts().orElse(List.of())),
                        images.privateAddresses(),
                        images.downloadMaxBytes(),
                        images.downloadTimeout()),
                store,
                ArchiveDownloads.client());
    }

    @Produces
    @Singleton
    UploadedDatasets uploadedDatasets(ImageStore store, ImageSources sources, ArchiveDownloads archives) {
        return new UploadedDatasets(store, sources, archives);
    }

    @Produces
    @Singleton
    ImageSources imageSources(DatasetConfig config, ImageStore store, ArchiveDownloads downloads) {
        DatasetConfig.Images images = config.images();
        int threads = images.decodeThreads() > 0
                ? images.decodeThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return new ImageSources(
                new ImageSources.Settings(
                        images.roots().orElse(List.of()).stream()
                                .filter(s -> !s.isBlank())
                                .map(Path::of)
                                .toList(),
                        scanLimits(images),
                        threads,
                        images.maxClasses()),
                store,
                downloads);
    }

    /** The tlab.dataset.images.max-* keys, one for each {@link ScanLimits} limit (same names). */
    static ScanLimits scanLimits(DatasetConfig.Images images) {
        return new ScanLimits(
                images.maxFiles(),
                images.maxFileBytes(),
                images.maxTotalBytes(),
                images.maxImagePixels(),
                images.maxTotalPixels(),
                images.maxDepth());
    }

    @Produces
    @Singleton
    ManifestStore manifestStore(DatasetConfig config) {
        return new ManifestStore(dataDir(config).resolve("manifests"));
    }

    @Produces
    @Singleton
    JobLedger jobLedger(DatasetConfig config) {
        return new JobLedger(dataDir(config).resolve("published-jobs.log"));
    }

    @Produces
    @Singleton
    ExperimentRegistry experimentRegistry(DatasetConfig config) {
        return new ExperimentRegistry(dataDir(config).resolve("experiments.log"));
    }

    @Produces
    @Singleton
    RequestLimits requestLimits(DatasetConfig config) {
        DatasetConfig.Limits limits = config.limits();
        return new RequestLimits(
                "tlab.dataset.limits",
                limits.maxJobs(),
                limits.maxStrategies(),
                limits.maxSeeds(),
                limits.maxEpochs(),
                limits.maxImageSize(),
                limits.maxPatterns(),
                limits.maxPatternLength());
    }

    @Produces
    @Singleton
    PlanCheck planCheck(DatasetConfig config, DatasetMetrics metrics) {
        return new PlanCheck(config.plannerUrl(), config.plannerTimeout(), config.planToken(), metrics);
    }

    /**
     * What the experiment logic publishes through: Kafka, as the interface, in a normal scope so that a test can stand
     * in for it (QuarkusMock).
     */
    @Produces
    @ApplicationScoped
    EventPublisher eventPublisher(KafkaEventPublisher kafka) {
        return kafka;
    }

    @Produces
    @Singleton
    CancelledExperiments cancelledExperiments() {
        return new CancelledExperiments();
    }

    static Path dataDir(DatasetConfig config) {
        return Path.of(config.dataDir()).toAbsolutePath().normalize();
    }
}
