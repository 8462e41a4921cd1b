package dev.tlab.trainer.messaging;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.Topic;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.messaging.IncomingValues;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code experiment-cancellations} whole, with a consumer group of this process alone, so that every trainer
 * knows every cancellation: the job runner skips queued jobs of a cancelled experiment and stops running ones at the
 * next batch. A malformed message is logged, counted and skipped (the results service keeps its dead letters).
 */
@ApplicationScoped
public class CancellationListener {
    private static final Logger LOG = Logger.getLogger(CancellationListener.class);

    private final CancelledExperiments cancelled;

    public CancellationListener(CancelledExperiments cancelled) {
        this.cancelled = cancelled;
    }

    @Incoming("experiment-cancellations")
    public void onCancellation(byte[] payload) {
        // compacted: a null value is a tombstone (nothing to read); one over the limit is refused before parsing
        IncomingValues.read(Topic.EXPERIMENT_CANCELLATIONS, payload).ifPresent(this::apply);
    }

    private void apply(byte[] value) {
        ExperimentCancelled event = EventCodec.fromBytes(value, ExperimentCancelled.class);
        if (cancelled.add(event)) {
            LOG.infof(
                    "experiment %s is cancelled (%s): its queued jobs are skipped, a running one stops at the next batch",
                    event.experimentId(), event.reason());
        }
    }
}
