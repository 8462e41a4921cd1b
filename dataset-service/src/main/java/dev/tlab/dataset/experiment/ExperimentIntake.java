package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.Requests;
import dev.tlab.contracts.Topic;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.source.ResolvedDataset;
import dev.tlab.messaging.IncomingValues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one path of an experiment request, from either door; each request is admitted ({@link ExperimentAdmission}: the
 * limits, the dataset, the trainer's plan) once.
 *
 * <ul>
 *   <li>{@code POST /experiments} ({@link #submit}): read strictly, refused (409) when its id stands for another
 *       request or failed, admitted, claimed in the {@link ExperimentRegistry} and published to {@code experiments}.
 *   <li>The {@code experiments} topic ({@link #receive}): what POST published, read back, or a request a person or
 *       pipeline published there directly. Content its id was claimed for was admitted before (by POST, or by an
 *       earlier delivery) and goes straight to the {@link ExperimentFanOut}; anything else is admitted here, fully.
 * </ul>
 *
 * A request that fails on the topic, after it was accepted, is reported as {@link ExperimentFailed} (the results
 * service shows it, {@code ./lab watch} ends with its reason) and its id is spent; the message still goes to the
 * dead-letter topic with the reason. A request whose id belongs to another request is only dead-lettered: that
 * experiment is not this message's to fail.
 */
@ApplicationScoped
public class ExperimentIntake {
    private static final Logger LOG = Logger.getLogger(ExperimentIntake.class);

    private final ExperimentRegistry registry;
    private final ExperimentAdmission admission;
    private final DatasetResolver datasets;
    private final ExperimentFanOut fanOut;
    private final CancellationService cancellations;
    private final EventPublisher publisher;
    private final DatasetMetrics metrics;

    public ExperimentIntake(
            ExperimentRegistry registry,
            ExperimentAdmission admission,
            DatasetResolver datasets,
            ExperimentFanOut fanOut,
            CancellationService cancellations,
            EventPublisher publisher,
            DatasetMetrics metrics) {
        this.registry = registry;
        this.admission = admission;
        this.datasets = datasets;
        this.fanOut = fanOut;
        this.cancellations = cancellations;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * {@code POST /experiments}: returns the request once the broker has it.
     *
     * @throws BrokerUnavailableException when the broker did not take it in time; its claim is withdrawn, so the same
     *     request may be sent again
     */
    public ExperimentRequested submit(String body) {
        ExperimentRequested request = Requests.submission(body).toEvent();
        if (!registry.checkOpen(request)) {
            admission.admit(request);
        }
        ExperimentRegistry.Claim claim = registry.claim(request);
        try {
            publisher.publishExperiment(request);
        } catch (BrokerUnavailableException e) {
            if (claim == ExperimentRegistry.Claim.NEW) {
                registry.withdraw(request);
            }
            throw e;
        }
        return request;
    }

    /** A record of the {@code experiments} topic: its manifest and jobs are published when this returns. */
    public void receive(byte[] payload) {
        ExperimentRequested request = Requests.experiment(
                IncomingValues.read(Topic.EXPERIMENTS, payload).orElseThrow()); // not compacted: a value or refused
        UUID experimentId = request.experimentId();
        boolean admitted = registry.checkOpen(request);
        if (cancellations.isCancelled(experimentId)) {
            LOG.infof("experiment %s is cancelled; none of its jobs is published", experimentId);
            return;
        }
        if (fanOut.allPublished(request)) {
            LOG.infof("experiment %s was already handled (all its jobs published); nothing republished", experimentId);
            return;
        }
        try {
            ResolvedDataset dataset;
            if (admitted) {
                // admitted before: only the dataset to build from (building the manifest reads it whole again; a
                // scan of images is kept, so they are not decoded again)
                dataset = datasets.resolve(request);
            } else {
                dataset = admission.admit(request);
                registry.claim(request);
            }
            fanOut.publish(request, dataset);
        } catch (ExperimentConflictException e) {
            throw e; // another request claimed the id meanwhile
        } catch (RuntimeException e) {
            failed(request, e);
            throw e;
        }
    }

    private void failed(ExperimentRequested request, RuntimeException cause) {
        RequestFailure failure = RequestFailure.of(cause);
        registry.markFailed(request.experimentId());
        metrics.experimentFailed();
        try {
            publisher.publishFailure(ExperimentFailed.of(
                    request.experimentId(), request.occurredAt(), failure.field(), failure.reason()));
            LOG.warnf(
                    "experiment %s failed (%s: %s); published as ExperimentFailed",
                    request.experimentId(), failure.field(), failure.reason());
        } catch (RuntimeException e) {
            LOG.errorf(
                    "experiment %s failed (%s: %s), and its failure could not be published: %s",
                    request.experimentId(), failure.field(), failure.reason(), e.getMessage());
        }
    }
}
