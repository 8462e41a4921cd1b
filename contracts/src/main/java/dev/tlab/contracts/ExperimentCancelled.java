package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * Stops an experiment (topic {@code experiment-cancellations}, compacted, key experimentId): trainers skip its queued
 * jobs and stop its running ones at the next batch (each reports {@link JobCancelled}); the dataset service publishes
 * no more of its jobs. Every trainer reads the whole topic (its own consumer group), so each learns of every
 * cancellation, also after a restart. Cancelling twice changes nothing.
 */
public record ExperimentCancelled(
        UUID eventId, String type, Integer schemaVersion, Instant occurredAt, UUID experimentId, String reason)
        implements Event {

    public static final String TYPE = "ExperimentCancelled";
    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_REASON_CHARS = 500;

    public ExperimentCancelled {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(experimentId, "experimentId");
        reason = reason == null || reason.isBlank() ? "cancelled" : reason.strip();
        if (reason.length() > MAX_REASON_CHARS) {
            throw new InvalidFieldException(
                    "reason", "must be at most " + MAX_REASON_CHARS + " characters, was " + reason.length());
        }
    }

    public static ExperimentCancelled of(UUID experimentId, String reason) {
        return new ExperimentCancelled(UUID.randomUUID(), TYPE, SCHEMA_VERSION, Instant.now(), experimentId, reason);
    }
}
