package dev.tlab.dataset;

import dev.tlab.contracts.RequestLimits;
import dev.tlab.dataset.experiment.ExperimentRegistry;
import dev.tlab.dataset.experiment.JobLedger;
import dev.tlab.dataset.experiment.PlanCheck;
import dev.tlab.dataset.manifest.ManifestStore;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.messaging.KafkaEventPublisher;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.messaging.CancelledExperiments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;

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
