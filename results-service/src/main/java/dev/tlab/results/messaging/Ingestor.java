package dev.tlab.results.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.domain.Outcome;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.metrics.ResultsMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Decodes a raw message with the shared {@link EventCodec} and applies it to the store. A payload that cannot be
 * decoded throws {@link MalformedEventException} (the listener's failure strategy then dead-letters or skips it).
 */
@ApplicationScoped
public class Ingestor {
    @Inject
    ResultsStore store;

    @Inject
    ResultsMetrics metrics;

    @Inject
    StoreChanges changes;

    public Outcome trainingEvent(byte[] payload) {
        TrainingEvent event = decode(payload, TrainingEvent.class, Topic.TRAINING_EVENTS);
        Outcome outcome = store.apply(event);
        metrics.recorded(event.type(), outcome, event.job().experimentId(), event.job().strategy());
        announce(outcome, event.job().experimentId());
        return outcome;
    }

    public Outcome trainingJob(byte[] payload) {
        TrainingJob job = decode(payload, TrainingJob.class, Topic.TRAINING_JOBS);
        Outcome outcome = store.apply(job);
        metrics.recorded(job.type(), outcome, job.experimentId(), job.strategy().name());
        announce(outcome, job.experimentId());
        return outcome;
    }

    public Outcome manifest(byte[] payload) {
        DatasetManifest manifest = decode(payload, DatasetManifest.class, Topic.DATASET_MANIFESTS);
        Outcome outcome = store.apply(manifest);
        metrics.recorded(manifest.type(), outcome, null, null);
        announce(outcome, StoreChanges.ALL);
        return outcome;
    }

    public Outcome cancellation(byte[] payload) {
        ExperimentCancelled cancellation = decode(payload, ExperimentCancelled.class, Topic.EXPERIMENT_CANCELLATIONS);
        Outcome outcome = store.apply(cancellation);
        metrics.recorded(cancellation.type(), outcome, cancellation.experimentId(), null);
        announce(outcome, cancellation.experimentId());
        return outcome;
    }

    private void announce(Outcome outcome, UUID experimentId) {
        if (outcome == Outcome.APPLIED) {
            changes.changed(experimentId);
        }
    }

    private <T> T decode(byte[] payload, Class<T> type, Topic topic) {
        try {
            return EventCodec.fromBytes(payload, type);
        } catch (MalformedEventException e) {
            metrics.malformed(topic.topicName());
            throw e;
        }
    }
}
