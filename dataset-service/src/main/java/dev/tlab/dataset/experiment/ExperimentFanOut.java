package dev.tlab.dataset.experiment;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.manifest.ManifestFactory;
import dev.tlab.dataset.manifest.ManifestService;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.source.ResolvedDataset;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns an admitted {@link ExperimentRequested} into a published manifest and then one {@link TrainingJob} per strategy
 * and seed. Idempotent: job ids are derived from (experiment, strategy, seed) and a job already in the ledger is not
 * published again. Not serialised: experiments are handled side by side (the listener keeps one experiment's messages
 * in order), so a big fan-out does not hold up the next experiment.
 */
@ApplicationScoped
public class ExperimentFanOut {
    private static final Logger LOG = Logger.getLogger(ExperimentFanOut.class);

    /** What the fan-out did. */
    public record Outcome(String manifestId, List<UUID> publishedJobs, int alreadyPublished) {}

    private final ManifestService manifests;
    private final EventPublisher publisher;
    private final JobLedger ledger;
    private final CancellationService cancellations;
    private final DatasetConfig config;
    private final DatasetMetrics metrics;

    public ExperimentFanOut(
            ManifestService manifests,
            EventPublisher publisher,
            JobLedger ledger,
            CancellationService cancellations,
            DatasetConfig config,
            DatasetMetrics metrics) {
        this.manifests = manifests;
        this.publisher = publisher;
        this.ledger = ledger;
        this.cancellations = cancellations;
        this.config = config;
        this.metrics = metrics;
    }

    /** Job ids this request leads to, in publishing order (strategies in request order, then seeds). */
    public static List<UUID> jobIds(ExperimentRequested request) {
        List<UUID> ids = new ArrayList<>();
        for (StrategySpec strategy : request.strategies()) {
            for (long seed : request.seeds()) {
                ids.add(TrainingJob.jobIdFor(request.experimentId(), strategy.name(), seed));
            }
        }
        return ids;
    }

    /** Whether every job of the request was published before (a redelivered or repeated request). */
    public boolean allPublished(ExperimentRequested request) {
        return jobIds(request).stream().allMatch(ledger::contains);
    }

    /** Publishes the manifest of the request's subset of {@code dataset}, then the jobs not published before. */
    public Outcome publish(ExperimentRequested request, ResolvedDataset dataset) {
        UUID experimentId = request.experimentId();
        DatasetManifest manifest = manifests.getOrBuild(dataset, request.subset());
        publisher.publishManifest(manifest);
        metrics.manifestPublished(manifest.dataset());
        String manifestUrl = ManifestFactory.manifestUrl(config.publicUrl(), manifest.manifestId());
        List<TrainingJob> toPublish = new ArrayList<>();
        for (StrategySpec strategy : request.strategies()) {
            for (long seed : request.seeds()) {
                UUID jobId = TrainingJob.jobIdFor(experimentId, strategy.name(), seed);
                if (!ledger.contains(jobId)) {
                    toPublish.add(new TrainingJob(
                            UUID.randomUUID(),
                            TrainingJob.TYPE,
                            TrainingJob.SCHEMA_VERSION,
                            Instant.now(),
                            jobId,
                            experimentId,
                            manifest.manifestId(),
                            manifestUrl,
                            manifest.dataset(),
                            manifest.synthetic(),
                            strategy,
                            request.hyperParameters(),
                            request.model(),
                            seed,
                            1,
                            request.occurredAt(),
                            null,
                            null));
                }
            }
        }
        List<UUID> published = new ArrayList<>();
        publisher.publishJobs(toPublish, () -> cancellations.isCancelled(experimentId), job -> {
            ledger.record(job.jobId(), experimentId);
            metrics.jobPublished(job.strategy().name());
            published.add(job.jobId());
        });
        int skipped = jobIds(request).size() - toPublish.size();
        if (published.size() < toPublish.size()) {
            LOG.infof(
                    "experiment %s was cancelled during its fan-out; %d of its %d jobs were not published",
                    experimentId, toPublish.size() - published.size(), toPublish.size());
        }
        LOG.infof(
                "experiment %s: manifest %s (%s%s), %d jobs published, %d already published before",
                experimentId,
                manifest.manifestId(),
                manifest.dataset(),
                manifest.synthetic() ? ", SYNTHETIC" : "",
                published.size(),
                skipped);
        return new Outcome(manifest.manifestId(), published, skipped);
    }
}
