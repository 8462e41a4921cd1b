package dev.tlab.results.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentEvent;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.domain.Outcome;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.metrics.ResultsMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Decodes raw messages with the shared {@link EventCodec} and applies them to the store, a batch at a time: the open
 * pages hear of a changed experiment once per batch, not once per event (see {@link Batch}). A payload that cannot be
 * decoded throws {@link MalformedEventException}, and nothing of it is applied; the listener dead-letters (or skips)
 * that one message and goes on with the rest of the batch.
 */
@ApplicationScoped
public class Ingestor {
    private final ResultsStore store;
    private final ResultsMetrics metrics;
    private final StoreChanges changes;

    public Ingestor(ResultsStore store, ResultsMetrics metrics, StoreChanges changes) {
        this.store = store;
        this.metrics = metrics;
        this.changes = changes;
    }

    /** A new batch; close it once its messages are applied. */
    public Batch batch() {
        return new Batch();
    }

    /** The messages of one poll: applied one by one, in order, their change signals sent when it closes. */
    public final class Batch implements AutoCloseable {
        private final Set<UUID> changed = new LinkedHashSet<>();

        private Batch() {}

        /** A record of training-events: a job's event, or the dataset service's ExperimentFailed. */
        public Outcome trainingEvent(byte[] payload) {
            ExperimentEvent read = decode(payload, ExperimentEvent.class, Topic.TRAINING_EVENTS);
            if (read instanceof ExperimentFailed failed) {
                Outcome outcome = store.apply(failed);
                metrics.recorded(failed.type(), outcome, failed.experimentId(), null);
                return changed(outcome, failed.experimentId());
            }
            TrainingEvent event = (TrainingEvent) read;
            Outcome outcome = store.apply(event);
            metrics.recorded(
                    event.type(),
                    outcome,
                    event.job().experimentId(),
                    event.job().strategy());
            return changed(outcome, event.job().experimentId());
        }

        public Outcome trainingJob(byte[] payload) {
            TrainingJob job = decode(payload, TrainingJob.class, Topic.TRAINING_JOBS);
            Outcome outcome = store.apply(job);
            metrics.recorded(
                    job.type(), outcome, job.experimentId(), job.strategy().name());
            return changed(outcome, job.experimentId());
        }

        public Outcome manifest(byte[] payload) {
            DatasetManifest manifest = decode(payload, DatasetManifest.class, Topic.DATASET_MANIFESTS);
            Outcome outcome = store.apply(manifest);
            metrics.recorded(manifest.type(), outcome, null, null);
            return changed(outcome, StoreChanges.ALL);
        }

        public Outcome cancellation(byte[] payload) {
            ExperimentCancelled cancellation =
                    decode(payload, ExperimentCancelled.class, Topic.EXPERIMENT_CANCELLATIONS);
            Outcome outcome = store.apply(cancellation);
            metrics.recorded(cancellation.type(), outcome, cancellation.experimentId(), null);
            return changed(outcome, cancellation.experimentId());
        }

        private Outcome changed(Outcome outcome, UUID experimentId) {
            if (outcome == Outcome.APPLIED) {
                changed.add(experimentId);
            }
            return outcome;
        }

        /**
         * Lets the gauges follow the newest experiments and tells the pages which experiments changed (each once;
         * {@link StoreChanges#ALL} covers every one).
         */
        @Override
        public void close() {
            metrics.followNewest();
            if (changed.contains(StoreChanges.ALL)) {
                changes.changed(StoreChanges.ALL);
            } else {
                changed.forEach(changes::changed);
            }
            changed.clear();
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
