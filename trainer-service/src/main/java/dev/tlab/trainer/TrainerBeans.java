package dev.tlab.trainer;

import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.trainer.data.DatasetClient;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.engine.EngineSettings;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.resources.ContainerCpus;
import dev.tlab.trainer.health.DeviceFaults;
import dev.tlab.trainer.health.TrainingDeviceGate;
import dev.tlab.trainer.job.AttemptCounter;
import dev.tlab.trainer.job.CheckpointRetention;
import dev.tlab.trainer.job.JobRunner;
import dev.tlab.trainer.job.RetryPolicy;
import dev.tlab.trainer.job.RunEnvironments;
import dev.tlab.trainer.kubernetes.PodDeletionCost;
import dev.tlab.trainer.metrics.TrainerMetrics;
import dev.tlab.trainer.store.ModelStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds the plain-Java pieces of the trainer from its configuration. */
@ApplicationScoped
public class TrainerBeans {
    private static final Logger LOG = Logger.getLogger(TrainerBeans.class);

    @Produces
    @ApplicationScoped
    TrainingEngine engine(TrainerConfig config) {
        EngineSettings defaults = EngineSettings.defaults(config.checkpointDir(), config.modelCache());
        ContainerCpus cpus = ContainerCpus.detect();
        int threads = cpus.dataThreads(config.dataThreads());
        PrefetchBudget prefetch = PrefetchBudget.of(
                config.prefetchBytes(), config.prefetchBatches() > 0 ? config.prefetchBatches() : threads * 2);
        LOG.infof(
                "%d data threads (container CPUs: %s from %s), up to %d batches ahead within %d MiB",
                threads, cpus.cpus(), cpus.source(), prefetch.maxBatches(), prefetch.bytes() >> 20);
        ModelSpec defaultModel = new ModelSpec(
                config.defaultModel().orElse(null), config.defaultModelSha256().orElse(null));
        ModelAccess access = new ModelAccess(
                config.modelRoots(),
                ModelAccess.origins(config.modelHosts().orElse(List.of())),
                config.modelPrivateAddresses(),
                config.modelDownloadMaxBytes(),
                config.modelDownloadTimeout());
        LOG.infof(
                "models from the folders %s%s",
                access.roots(), access.origins().isEmpty() ? " only" : " and downloads from " + access.origins());
        return new TrainingEngine(defaults.withDevice(config.device())
                .withModelAccess(access)
                .withDataThreads(threads, prefetch)
                .withDefaultModel(defaultModel)
                .withChannelsLast(config.channelsLast()));
    }

    /**
     * The bounds of POST /plan: its strategies and patterns ({@code tlab.trainer.limits.*}); a record, so not proxied.
     */
    @Produces
    @Singleton
    RequestLimits planLimits(TrainerConfig config) {
        RequestLimits defaults = RequestLimits.defaults("tlab.trainer.limits");
        return new RequestLimits(
                defaults.keyPrefix(),
                defaults.maxJobs(),
                config.limits().maxStrategies(),
                defaults.maxSeeds(),
                defaults.maxEpochs(),
                defaults.maxImageSize(),
                config.limits().maxPatterns(),
                config.limits().maxPatternLength());
    }

    @Produces
    @ApplicationScoped
    CancelledExperiments cancelledExperiments(TrainerMetrics metrics) {
        CancelledExperiments cancelled = new CancelledExperiments();
        metrics.cancelledExperiments(cancelled::size);
        return cancelled;
    }

    @Produces
    @ApplicationScoped
    AttemptCounter attempts(TrainerConfig config) {
        return new AttemptCounter(config.checkpointDir());
    }

    @Produces
    @ApplicationScoped
    CheckpointRetention checkpointRetention(TrainingEngine engine, AttemptCounter attempts, TrainerConfig config) {
        return new CheckpointRetention(engine.checkpoints(), attempts, config.checkpointRetention(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ModelStore modelStore(TrainerConfig config) {
        return new ModelStore(config.modelStore(), config.modelRetention());
    }

    @Produces
    @ApplicationScoped
    JobRunner runner(
            TrainingEngine engine,
            TrainerConfig config,
            TrainerMetrics metrics,
            AttemptCounter attempts,
            CancelledExperiments cancelled,
            CheckpointRetention retention,
            ModelStore models,
            TrainingDeviceGate gate) {
        RetryPolicy retries = new RetryPolicy(
                config.retry().maxAttempts(),
                config.retry().initialBackoff(),
                config.retry().maxBackoff());
        DeviceFaults devices = new DeviceFaults(
                () -> {
                    // the engine's own start-up check, run again: a device whose context broke fails it
                    EngineReport report = EngineProbe.probe(config.device());
                    return report.ready() ? Optional.empty() : Optional.of(report.reason());
                },
                gate::fault);
        return new JobRunner(
                engine,
                new DatasetClient(
                        config.dataCache(),
                        config.datasetToken(),
                        config.datasetUrl(),
                        config.decodedImageCacheBytes()),
                attempts,
                metrics,
                retries,
                cancelled,
                retention,
                Clock.systemUTC(),
                models,
                job -> RunEnvironments.of(gate.report().orElse(null), config.instance(), engine.channelsLast(job)),
                devices,
                PodDeletionCost.of(config.kubernetes(), metrics::podDeletionCostPatched));
    }
}
