package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A job of a cancelled experiment ended without a result: skipped before it started ({@code completedEpochs} 0) or
 * stopped at a batch boundary after {@code completedEpochs} epochs.
 */
public record JobCancelled(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        Integer completedEpochs,
        String reason)
        implements TrainingEvent {

    public static final String TYPE = "JobCancelled";

    public JobCancelled {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.intInRange(Fields.orDefault(completedEpochs, 0), 0, 100_000, "completedEpochs");
        completedEpochs = Fields.orDefault(completedEpochs, 0);
        reason = reason == null || reason.isBlank() ? "cancelled" : reason;
    }

    public static JobCancelled of(JobRef job, String device, int completedEpochs, String reason) {
        return new JobCancelled(
                UUID.randomUUID(), TYPE, SCHEMA_VERSION, Instant.now(), job, device, completedEpochs, reason);
    }
}
