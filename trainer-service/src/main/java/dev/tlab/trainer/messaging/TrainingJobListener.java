package dev.tlab.trainer.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.trainer.job.JobOutcome;
import dev.tlab.trainer.job.JobRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes one job at a time from {@code training-jobs} (ordered blocking processing, one record per poll) and acks it
 * only after its final event (and, for a retry, its next attempt) is on the broker. The value is read as bytes: a
 * message that is not a valid job is nacked, and the channel's failure strategy copies it unchanged to
 * {@code training-jobs-dlq} with the reason. A job stopped by a shutdown, or whose events cannot be published, is
 * neither acked nor nacked: its offset stays uncommitted, so the job is redelivered and resumes from its checkpoint.
 */
@ApplicationScoped
public class TrainingJobListener {
    private static final Logger LOG = Logger.getLogger(TrainingJobListener.class);

    private final JobRunner runner;
    private final JobRunner.Publisher publisher;
    private volatile boolean shuttingDown;

    public TrainingJobListener(JobRunner runner, JobRunner.Publisher publisher) {
        this.runner = runner;
        this.publisher = publisher;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    @Incoming("training-jobs")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        TrainingJob job;
        try {
            job = EventCodec.fromBytes(message.getPayload(), TrainingJob.class);
        } catch (RuntimeException malformed) {
            LOG.warnf("rejecting a message on training-jobs: %s", malformed.getMessage());
            return message.nack(malformed);
        }
        JobOutcome outcome;
        try {
            outcome = runner.run(job, publisher, () -> shuttingDown);
        } catch (RuntimeException notPublished) {
            // the job is valid, only its events could not be written (broker unreachable): a nack would dead-letter
            // it, so it stays unacknowledged, as after a shutdown, and runs again when it is redelivered
            LOG.errorf(notPublished, "job %s: its events could not be published; left for redelivery", job.jobId());
            return CompletableFuture.completedFuture(null);
        }
        if (outcome == JobOutcome.INTERRUPTED) {
            return CompletableFuture.completedFuture(null);
        }
        return message.ack();
    }
}
