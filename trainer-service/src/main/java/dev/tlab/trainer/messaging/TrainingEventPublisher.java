package dev.tlab.trainer.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.trainer.job.JobRunner;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes training events keyed by experiment id (one experiment's events keep their order) and the next attempt of a
 * failed job keyed by job id, and waits for the broker's acknowledgement, so a job's offset is committed only after its
 * last event (and its retry) is safely written.
 */
@ApplicationScoped
public class TrainingEventPublisher implements JobRunner.Publisher {
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);

    private final MutinyEmitter<Record<String, String>> events;
    private final MutinyEmitter<Record<String, String>> retries;

    public TrainingEventPublisher(
            @Channel("training-events") MutinyEmitter<Record<String, String>> events,
            @Channel("job-retries") MutinyEmitter<Record<String, String>> retries) {
        this.events = events;
        this.retries = retries;
    }

    @Override
    public void event(TrainingEvent event) {
        events.send(Record.of(event.job().experimentId().toString(), EventCodec.toJson(event)))
                .await()
                .atMost(SEND_TIMEOUT);
    }

    @Override
    public void nextAttempt(TrainingJob job) {
        retries.send(Record.of(job.jobId().toString(), EventCodec.toJson(job)))
                .await()
                .atMost(SEND_TIMEOUT);
    }
}
