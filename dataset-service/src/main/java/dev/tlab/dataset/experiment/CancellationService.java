package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.messaging.CancelledExperiments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Cancels experiments: publishes ExperimentCancelled to {@code experiment-cancellations} (trainers skip the queued jobs
 * and stop the running ones; the results service shows it) and stops publishing the experiment's jobs here. An
 * experiment can be cancelled once it is known: claimed in the {@link ExperimentRegistry} (accepted by POST
 * /experiments or read from the topic, also before a restart), with jobs published, or cancelled before. Cancelling it
 * again changes nothing.
 */
@ApplicationScoped
public class CancellationService {
    private final CancelledExperiments cancelled;
    private final EventPublisher publisher;
    private final JobLedger ledger;
    private final ExperimentRegistry registry;

    public CancellationService(
            CancelledExperiments cancelled, EventPublisher publisher, JobLedger ledger, ExperimentRegistry registry) {
        this.cancelled = cancelled;
        this.publisher = publisher;
        this.ledger = ledger;
        this.registry = registry;
    }

    /** The cancellation in effect, and whether it was there before this call. */
    public record Cancellation(ExperimentCancelled event, boolean before) {}

    public boolean known(UUID experimentId) {
        return registry.digestOf(experimentId).isPresent()
                || ledger.containsExperiment(experimentId)
                || cancelled.isCancelled(experimentId);
    }

    public boolean isCancelled(UUID experimentId) {
        return cancelled.isCancelled(experimentId);
    }

    /** Publishes the cancellation (and returns once the broker has it) unless the experiment was cancelled before. */
    public Cancellation cancel(UUID experimentId, String reason) {
        Optional<ExperimentCancelled> before = cancelled.cancellation(experimentId);
        if (before.isPresent()) {
            return new Cancellation(before.get(), true);
        }
        ExperimentCancelled event = ExperimentCancelled.of(experimentId, reason);
        publisher.publishCancellation(event);
        cancelled.add(event);
        return new Cancellation(cancelled.cancellation(experimentId).orElse(event), false);
    }
}
