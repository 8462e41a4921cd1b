package dev.tlab.results.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The Kafka consumers (see application.properties: each channel has its own consumer group, unique per process
 * start, reading from the earliest offset, so that every start rebuilds the same aggregate). Applying a message is
 * a few microseconds of in-memory work, so it runs on the connector's thread rather than being handed to a worker
 * (that hand-off cost more than the work and capped ingestion). Values arrive as bytes and are decoded here, so that
 * a malformed message fails here and the channel's failure strategy copies it unchanged to its dead-letter topic (or
 * skips it); either way the record counts as read for the rebuild's readiness.
 */
@ApplicationScoped
public class Listeners {
    @Inject
    Ingestor ingestor;

    @Inject
    RebuildProgress progress;

    @Incoming("training-events")
    public void trainingEvent(ConsumerRecord<byte[], byte[]> record) {
        apply(record, ingestor::trainingEvent);
    }

    @Incoming("training-jobs")
    public void trainingJob(ConsumerRecord<byte[], byte[]> record) {
        apply(record, ingestor::trainingJob);
    }

    @Incoming("dataset-manifests")
    public void manifest(ConsumerRecord<byte[], byte[]> record) {
        apply(record, ingestor::manifest);
    }

    @Incoming("experiment-cancellations")
    public void cancellation(ConsumerRecord<byte[], byte[]> record) {
        apply(record, ingestor::cancellation);
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, Consumer<byte[]> ingest) {
        try {
            if (record.value() != null) { // null: a tombstone on a compacted topic, nothing to apply
                ingest.accept(record.value());
            }
        } finally {
            progress.processed(record.topic(), record.partition(), record.offset());
        }
    }
}
