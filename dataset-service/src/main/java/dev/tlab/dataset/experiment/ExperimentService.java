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
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.subset.SubsetSelector;
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
 * published again.
 */
@ApplicationScoped
public class ExperimentService {
    private static final Logger LOG = Logger.getLogger(ExperimentService.class);

    /** What handling a request did. */
    public record Outcome(String manifestId, List<UUID> publishedJobs, int alreadyPublished) {
    }

    @Inject
    CifarSources sources;
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

    /**
     * The checks that need the data: the dataset can be had and every class has the requested samples.
     *
     * @return the dataset the request names
     */
    public CifarDataset check(ExperimentRequested request) {
        CifarDataset dataset = sources.resolve(request.dataset());
        SubsetSelector.checkAvailable(dataset.trainLabels(), dataset.classNames().size(),
                request.subset().samplesPerClass());
        return dataset;
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

    public synchronized Outcome handle(ExperimentRequested request) {
        UUID experimentId = request.experimentId();
        if (cancellations.isCancelled(experimentId)) {
            LOG.infof("experiment %s is cancelled; none of its jobs is published", experimentId);
            return new Outcome(null, List.of(), 0);
        }
        List<UUID> ids = jobIds(request);
        if (ids.stream().allMatch(ledger::contains)) {
            LOG.infof("experiment %s was already handled (all %d jobs published); nothing republished", experimentId,
                    ids.size());
            return new Outcome(null, List.of(), ids.size());
        }
        CifarDataset dataset = check(request);
        DatasetManifest manifest = manifests.getOrBuild(dataset, request.subset());
        publisher.publishManifest(manifest);
        metrics.manifestPublished(manifest.dataset());
        String manifestUrl = ManifestFactory.manifestUrl(config.publicUrl(), manifest.manifestId());
        List<UUID> published = new ArrayList<>();
        int skipped = 0;
        for (StrategySpec strategy : request.strategies()) {
            for (long seed : request.seeds()) {
                UUID jobId = TrainingJob.jobIdFor(experimentId, strategy.name(), seed);
                if (ledger.contains(jobId)) {
                    skipped++;
                    continue;
                }
                if (cancellations.isCancelled(experimentId)) {
                    LOG.infof("experiment %s was cancelled during its fan-out; its remaining jobs are not published",
                            experimentId);
                    return new Outcome(manifest.manifestId(), published, skipped);
                }
                TrainingJob job = new TrainingJob(UUID.randomUUID(), TrainingJob.TYPE, TrainingJob.SCHEMA_VERSION,
                        Instant.now(), jobId, experimentId, manifest.manifestId(), manifestUrl, manifest.dataset(),
                        manifest.synthetic(), strategy, request.hyperParameters(), request.model(), seed, 1,
                        request.occurredAt(), null, null);
                publisher.publishJob(job);
                ledger.record(jobId, experimentId);
                metrics.jobPublished(strategy.name());
                published.add(jobId);
            }
        }
        LOG.infof("experiment %s: manifest %s (%s%s), %d jobs published, %d already published before", experimentId,
                manifest.manifestId(), manifest.dataset(), manifest.synthetic() ? ", SYNTHETIC" : "",
                published.size(), skipped);
        return new Outcome(manifest.manifestId(), published, skipped);
    }
}
