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
 * only after its JobCompleted or JobFailed is on the broker. A message that is not a valid job is nacked, which
 * sends it to {@code training-jobs-dlq} with the reason. A job stopped by a shutdown is neither acked nor nacked:
 * its offset stays uncommitted, so the job is redelivered and resumes from its checkpoint.
 */
@ApplicationScoped
public class TrainingJobListener {
    private static final Logger LOG = Logger.getLogger(TrainingJobListener.class);

    private final JobRunner runner;
    private final TrainingEventPublisher events;
    private volatile boolean shuttingDown;

    public TrainingJobListener(JobRunner runner, TrainingEventPublisher events) {
        this.runner = runner;
        this.events = events;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    @Incoming("training-jobs")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        TrainingJob job;
        try {
            job = EventCodec.fromJson(message.getPayload(), TrainingJob.class);
        } catch (RuntimeException malformed) {
            LOG.warnf("rejecting a message on training-jobs: %s", malformed.getMessage());
            return message.nack(malformed);
        }
        JobOutcome outcome = runner.run(job, events::publish, () -> shuttingDown);
        if (outcome == JobOutcome.INTERRUPTED) {
            return CompletableFuture.completedFuture(null);
        }
        return message.ack();
    }
}
