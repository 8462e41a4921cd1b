package dev.tlab.dataset.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.Topic;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.messaging.IncomingValues;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code experiment-cancellations} whole at every start (a consumer group of this process alone), so that every
 * replica knows every cancellation and publishes no job of a cancelled experiment, also one requested again. Malformed
 * messages are logged, counted and skipped (the results service keeps their dead letters); a null value is a tombstone
 * of the compacted topic.
 */
@ApplicationScoped
public class CancellationListener {
    private final CancelledExperiments cancelled;

    public CancellationListener(CancelledExperiments cancelled) {
        this.cancelled = cancelled;
    }

    @Incoming("experiment-cancellations-in")
    public void onCancellation(byte[] payload) {
        IncomingValues.read(Topic.EXPERIMENT_CANCELLATIONS, payload)
                .ifPresent(value -> cancelled.add(EventCodec.fromBytes(value, ExperimentCancelled.class)));
    }
}
