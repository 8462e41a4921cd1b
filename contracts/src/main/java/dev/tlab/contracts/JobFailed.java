package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/** A job could not finish; {@code reason} says why and, where it can, what to do. */
public record JobFailed(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        String reason) implements TrainingEvent {

    public static final String TYPE = "JobFailed";

    public JobFailed {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.requiredText(reason, "reason");
    }

    public static JobFailed of(JobRef job, String device, String reason) {
        return new JobFailed(UUID.randomUUID(), TYPE, SCHEMA_VERSION, Instant.now(), job, device, reason);
    }
}
