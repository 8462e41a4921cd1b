package dev.tlab.dataset.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.messaging.CancelledExperiments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code experiment-cancellations} whole at every start (a consumer group of this process alone), so that every
 * replica knows every cancellation and publishes no job of a cancelled experiment, also one requested again. Malformed
 * messages are logged, counted and skipped (the results service keeps their dead letters).
 */
@ApplicationScoped
public class CancellationListener {
    @Inject
    CancelledExperiments cancelled;

    @Incoming("experiment-cancellations-in")
    public void onCancellation(byte[] payload) {
        if (payload != null) { // null: a tombstone
            cancelled.add(EventCodec.fromBytes(payload, ExperimentCancelled.class));
        }
    }
}
