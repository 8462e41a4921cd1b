package dev.tlab.results.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.domain.Outcome;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.metrics.ResultsMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decodes a raw message with the shared {@link EventCodec} and applies it to the store. A payload that cannot be
 * decoded throws {@link MalformedEventException} (the listener's failure strategy then dead-letters it).
 */
@ApplicationScoped
public class Ingestor {
    @Inject
    ResultsStore store;

    @Inject
    ResultsMetrics metrics;

    public Outcome trainingEvent(String payload) {
        TrainingEvent event = decode(payload, TrainingEvent.class, Topic.TRAINING_EVENTS);
        Outcome outcome = store.apply(event);
        metrics.recorded(event.type(), outcome, event.job().experimentId(), event.job().strategy());
        return outcome;
    }

    public Outcome trainingJob(String payload) {
        TrainingJob job = decode(payload, TrainingJob.class, Topic.TRAINING_JOBS);
        Outcome outcome = store.apply(job);
        metrics.recorded(job.type(), outcome, job.experimentId(), job.strategy().name());
        return outcome;
    }

    public Outcome manifest(String payload) {
        DatasetManifest manifest = decode(payload, DatasetManifest.class, Topic.DATASET_MANIFESTS);
        Outcome outcome = store.apply(manifest);
        metrics.recorded(manifest.type(), outcome, null, null);
        return outcome;
    }

    private <T> T decode(String payload, Class<T> type, Topic topic) {
        try {
            return EventCodec.fromJson(payload, type);
        } catch (MalformedEventException e) {
            metrics.malformed(topic.topicName());
            throw e;
        }
    }
}
