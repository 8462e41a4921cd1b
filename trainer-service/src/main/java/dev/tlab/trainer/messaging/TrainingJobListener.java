package dev.tlab.trainer.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.messaging.IncomingValues;
import dev.tlab.trainer.job.JobOutcome;
import dev.tlab.trainer.job.JobRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes one job at a time from {@code training-jobs} (ordered blocking processing, one record per poll) and acks it
 * only after its final event (and, for a retry, its next attempt) is on the broker. The value is read as bytes: a
 * message that is not a valid job (a null value, one over the topic's limit once decompressed, or one that does not
 * parse: {@link IncomingValues}) is nacked, and the channel's failure strategy copies it to {@code training-jobs-dlq}
 * with the reason. A job stopped by a shutdown, by the revocation of its partition ({@link TrainingJobsRebalance}) or
 * by a device fault, or whose events cannot be published, is neither acked nor nacked: its offset stays uncommitted, so
 * the job is delivered again and resumes from its checkpoint.
 */
@ApplicationScoped
public class TrainingJobListener {
    private static final Logger LOG = Logger.getLogger(TrainingJobListener.class);

    private final JobRunner runner;
    private final JobRunner.Publisher publisher;
    private final RunningJob running;
    private volatile boolean shuttingDown;

    public TrainingJobListener(JobRunner runner, JobRunner.Publisher publisher, RunningJob running) {
        this.runner = runner;
        this.publisher = publisher;
        this.running = running;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    @Incoming("training-jobs")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        TrainingJob job;
        try {
            // not compacted: a null value or one over the topic's limit once decompressed is refused before parsing
            job = EventCodec.fromBytes(
                    IncomingValues.read(Topic.TRAINING_JOBS, message.getPayload())
                            .orElseThrow(),
                    TrainingJob.class);
        } catch (RuntimeException malformed) {
            LOG.warnf("rejecting a message on training-jobs: %s", malformed.getMessage());
            return message.nack(malformed);
        }
        JobLease lease = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(record -> new JobLease(
                        new TopicPartition(record.getTopic(), record.getPartition()),
                        record.getOffset(),
                        () -> shuttingDown))
                .orElseGet(() -> new JobLease(null, -1, () -> shuttingDown));
        running.start(lease);
        JobOutcome outcome = null;
        try {
            outcome = runner.run(job, publisher, lease);
        } catch (RuntimeException notPublished) {
            // the job is valid, only its events could not be written (broker unreachable): a nack would dead-letter
            // it, so it stays unacknowledged, as after a shutdown, and runs again when it is redelivered
            LOG.errorf(notPublished, "job %s: its events could not be published; left for redelivery", job.jobId());
        } finally {
            running.finish(lease, outcome != null && outcome.acknowledged());
        }
        if (outcome == null || !outcome.acknowledged()) {
            return CompletableFuture.completedFuture(null);
        }
        return message.ack();
    }
}
