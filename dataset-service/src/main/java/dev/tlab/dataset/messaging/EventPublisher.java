package dev.tlab.dataset.messaging;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.TrainingJob;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes events as JSON strings (EventCodec) with their key, and waits for the broker's acknowledgement, so the
 * caller knows the event is stored before it goes on (manifest before jobs).
 */
@ApplicationScoped
public class EventPublisher {
    @Inject
    @Channel("experiments-out")
    MutinyEmitter<String> experiments;

    @Inject
    @Channel("dataset-manifests")
    MutinyEmitter<String> manifests;

    @Inject
    @Channel("training-jobs")
    MutinyEmitter<String> jobs;

    @Inject
    @Channel("experiment-cancellations")
    MutinyEmitter<String> cancellations;

    public void publishExperiment(ExperimentRequested event) {
        experiments.sendMessageAndAwait(KafkaRecord.of(event.experimentId().toString(), EventCodec.toJson(event)));
    }

    public void publishManifest(DatasetManifest manifest) {
        manifests.sendMessageAndAwait(KafkaRecord.of(manifest.manifestId(), EventCodec.toJson(manifest)));
    }

    public void publishJob(TrainingJob job) {
        jobs.sendMessageAndAwait(KafkaRecord.of(job.jobId().toString(), EventCodec.toJson(job)));
    }

    public void publishCancellation(ExperimentCancelled cancellation) {
        cancellations.sendMessageAndAwait(KafkaRecord.of(cancellation.experimentId().toString(),
                EventCodec.toJson(cancellation)));
    }
}
