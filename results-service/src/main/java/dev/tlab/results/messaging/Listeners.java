package dev.tlab.results.messaging;

import dev.tlab.messaging.IncomingValues;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The Kafka consumers (see application.properties: each channel has its own consumer group, unique per process start,
 * reading from the earliest offset, so that every start rebuilds the same aggregate). Each channel takes the records of
 * a poll as one batch (batch=true): applying a message is a few microseconds of in-memory work, so the costs paid per
 * message around it (a hand-off to a worker thread, offset bookkeeping, a page signal) capped ingestion; now they are
 * paid per batch. A batch runs on a worker thread (@Blocking, ordered: one batch at a time per channel, and the event
 * loops stay free for HTTP) and is applied record by record in partition order. Values arrive as bytes, are checked
 * before they are parsed ({@link IncomingValues}: a null value on a topic that is not compacted, or a value larger than
 * its topic accepts, is refused) and decoded here; a record that cannot be read, decoded or applied is nacked on its
 * own, so that the channel's failure strategy copies that record unchanged to its dead-letter topic (or skips it),
 * exactly as it did for a single message, and the rest of the batch is applied. Either way every record counts as read
 * for the rebuild's readiness.
 */
@ApplicationScoped
public class Listeners {
    private final Ingestor ingestor;
    private final RebuildProgress progress;

    public Listeners(Ingestor ingestor, RebuildProgress progress) {
        this.ingestor = ingestor;
        this.progress = progress;
    }

    @Blocking
    @Incoming("training-events")
    public CompletionStage<Void> trainingEvents(KafkaRecordBatch<byte[], byte[]> batch) {
        return apply(batch, Ingestor.Batch::trainingEvent);
    }

    @Blocking
    @Incoming("training-jobs")
    public CompletionStage<Void> trainingJobs(KafkaRecordBatch<byte[], byte[]> batch) {
        return apply(batch, Ingestor.Batch::trainingJob);
    }

    @Blocking
    @Incoming("dataset-manifests")
    public CompletionStage<Void> manifests(KafkaRecordBatch<byte[], byte[]> batch) {
        return apply(batch, Ingestor.Batch::manifest);
    }

    @Blocking
    @Incoming("experiment-cancellations")
    public CompletionStage<Void> cancellations(KafkaRecordBatch<byte[], byte[]> batch) {
        return apply(batch, Ingestor.Batch::cancellation);
    }

    /** A record of the batch that could not be decoded or applied, and why. */
    private record Failed(KafkaRecord<byte[], byte[]> record, RuntimeException reason) {}

    /** Applies every record; completes once the failed ones are dead-lettered (or skipped) and the batch acked. */
    private CompletionStage<Void> apply(
            KafkaRecordBatch<byte[], byte[]> batch, BiConsumer<Ingestor.Batch, byte[]> ingest) {
        List<Failed> failed = new ArrayList<>();
        try (Ingestor.Batch applying = ingestor.batch()) {
            for (KafkaRecord<byte[], byte[]> record : batch) {
                try {
                    // a null value: a tombstone on a compacted topic, refused on the others; too large: refused
                    IncomingValues.read(record.getTopic(), record.getPayload())
                            .ifPresent(value -> ingest.accept(applying, value));
                } catch (RuntimeException e) {
                    failed.add(new Failed(record, e));
                }
            }
        } finally {
            batch.getLatestOffsetRecords()
                    .forEach((partition, latest) -> progress.processed(
                            partition.topic(),
                            partition.partition(),
                            ((IncomingKafkaRecord<?, ?>) latest).getOffset()));
        }
        // One after the other, so that the dead-letter topic keeps the originals' order. The failure strategies never
        // fail (they log and count what they cannot copy); whatever they answer, the batch is acked, never nacked as
        // a whole, which would dead-letter its good records too.
        CompletionStage<Void> handled = CompletableFuture.completedFuture(null);
        for (Failed f : failed) {
            handled =
                    handled.thenCompose(previous -> f.record().nack(f.reason())).handle((done, error) -> null);
        }
        return handled.thenCompose(done -> batch.ack());
    }
}
