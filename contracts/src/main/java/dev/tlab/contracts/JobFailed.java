package dev.tlab.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An attempt of a job could not finish; {@code reason} says why and, where it can, what to do.
 *
 * @param nextAttempt the attempt that will run next (the job was published again), or null when this failure is final:
 *     the retry budget is spent or the error cannot succeed on a retry
 * @param retryAt not before when the next attempt starts (null when final)
 * @param failedAttempts every failed attempt of the job so far, this one last (older writers leave it out)
 */
public record JobFailed(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        String reason,
        Integer nextAttempt,
        Instant retryAt,
        List<FailedAttempt> failedAttempts)
        implements TrainingEvent {

    public static final String TYPE = "JobFailed";

    public JobFailed {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.requiredText(reason, "reason");
        if (nextAttempt != null && nextAttempt <= job.attempt()) {
            throw new InvalidFieldException(
                    "nextAttempt", "must be after the failed attempt " + job.attempt() + ", was " + nextAttempt);
        }
        failedAttempts = failedAttempts == null ? List.of() : List.copyOf(failedAttempts);
    }

    /** The version-1 fields only: a final failure without the attempt history. */
    public JobFailed(
            UUID eventId,
            String type,
            Integer schemaVersion,
            Instant occurredAt,
            JobRef job,
            String device,
            String reason) {
        this(eventId, type, schemaVersion, occurredAt, job, device, reason, null, null, null);
    }

    /** A final failure: nothing will run again. */
    public static JobFailed of(JobRef job, String device, String reason) {
        return of(job, device, reason, null, null, List.of());
    }

    public static JobFailed of(
            JobRef job,
            String device,
            String reason,
            Integer nextAttempt,
            Instant retryAt,
            List<FailedAttempt> failedAttempts) {
        return new JobFailed(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                job,
                device,
                reason,
                nextAttempt,
                retryAt,
                failedAttempts);
    }

    /** True when another attempt of the job was published. */
    public boolean willRetry() {
        return nextAttempt != null;
    }
}
