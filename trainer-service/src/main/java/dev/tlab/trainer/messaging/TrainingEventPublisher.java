package dev.tlab.trainer.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.TrainingEvent;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes training events keyed by experiment id (one experiment's events keep their order) and waits for the
 * broker's acknowledgement, so a job's offset is committed only after its last event is safely written.
 */
@ApplicationScoped
public class TrainingEventPublisher {
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);

    private final MutinyEmitter<Record<String, String>> emitter;

    public TrainingEventPublisher(@Channel("training-events") MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void publish(TrainingEvent event) {
        emitter.send(Record.of(event.job().experimentId().toString(), EventCodec.toJson(event)))
                .await().atMost(SEND_TIMEOUT);
    }
}
