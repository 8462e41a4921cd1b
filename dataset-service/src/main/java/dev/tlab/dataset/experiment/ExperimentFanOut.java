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
import dev.tlab.dataset.source.CifarDataset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns an {@link ExperimentRequested} into a published manifest and then one {@link TrainingJob} per strategy and
 * seed. Idempotent: job ids are derived from (experiment, strategy, seed) and a job already in the ledger is not
 * published again. Not serialised: experiments are handled side by side (the listener keeps one experiment's messages
 * in order), so a big fan-out does not hold up the next experiment.
 */
@ApplicationScoped
public class ExperimentService {
    private static final Logger LOG = Logger.getLogger(ExperimentService.class);

    /** What handling a request did. */
    public record Outcome(String manifestId, List<UUID> publishedJobs, int alreadyPublished) {}

    @Inject
    ExperimentAdmission admission;

    @Inject
    ExperimentRegistry registry;

    @Inject
    ManifestService manifests;

    @Inject
    EventPublisher publisher;

    @Inject
    JobLedger ledger;

    @Inject
    DatasetConfig config;

    @Inject
    DatasetMetrics metrics;

    @Inject
    CancellationService cancellations;

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

    public Outcome handle(ExperimentRequested request) {
        UUID experimentId = request.experimentId();
        registry.checkNoConflict(request);
        if (cancellations.isCancelled(experimentId)) {
            LOG.infof("experiment %s is cancelled; none of its jobs is published", experimentId);
            return new Outcome(null, List.of(), 0);
        }
        List<UUID> ids = jobIds(request);
        if (ids.stream().allMatch(ledger::contains)) {
            LOG.infof(
                    "experiment %s was already handled (all %d jobs published); nothing republished",
                    experimentId, ids.size());
            return new Outcome(null, List.of(), ids.size());
        }
        CifarDataset dataset = admission.admit(request);
        registry.claim(request);
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
        int skipped = ids.size() - toPublish.size();
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
