package dev.tlab.messaging;

import dev.tlab.contracts.ExperimentCancelled;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The experiments cancelled so far, as read from {@code experiment-cancellations} (compacted, read whole at every
 * start) or recorded by the service that accepted the cancellation. Thread-safe.
 */
public final class CancelledExperiments {
    private final Map<UUID, ExperimentCancelled> cancelled = new ConcurrentHashMap<>();

    /** Records the cancellation; false when the experiment was cancelled before (the first one is kept). */
    public boolean add(ExperimentCancelled event) {
        return cancelled.putIfAbsent(event.experimentId(), event) == null;
    }

    public boolean isCancelled(UUID experimentId) {
        return experimentId != null && cancelled.containsKey(experimentId);
    }

    public Optional<ExperimentCancelled> cancellation(UUID experimentId) {
        return Optional.ofNullable(experimentId == null ? null : cancelled.get(experimentId));
    }

    public int size() {
        return cancelled.size();
    }
}
