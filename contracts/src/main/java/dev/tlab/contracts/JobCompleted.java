package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A job finished: test accuracy (fraction in [0, 1]) after {@code epochs} epochs, and what it trained. The last three
 * fields are optional (added without a version bump; older writers leave them out): when this attempt started, what ran
 * it, and the fine-tuned model the trainer kept.
 */
public record JobCompleted(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        Double testAccuracy,
        Long trainableParameters,
        Long totalParameters,
        Double wallSeconds,
        Integer epochs,
        Instant startedAt,
        RunEnvironment environment,
        ModelArtifact model)
        implements TrainingEvent {

    public static final String TYPE = "JobCompleted";

    public JobCompleted {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.requiredText(device, "device");
        Fields.required(testAccuracy, "testAccuracy");
        if (testAccuracy < 0 || testAccuracy > 1) {
            throw new InvalidFieldException("testAccuracy", "must be a fraction in [0, 1], was " + testAccuracy);
        }
        Fields.required(trainableParameters, "trainableParameters");
        Fields.required(totalParameters, "totalParameters");
        Fields.required(wallSeconds, "wallSeconds");
        Fields.required(epochs, "epochs");
    }

    /** The fields before {@code startedAt} (older callers). */
    public JobCompleted(
            UUID eventId,
            String type,
            Integer schemaVersion,
            Instant occurredAt,
            JobRef job,
            String device,
            Double testAccuracy,
            Long trainableParameters,
            Long totalParameters,
            Double wallSeconds,
            Integer epochs) {
        this(
                eventId,
                type,
                schemaVersion,
                occurredAt,
                job,
                device,
                testAccuracy,
                trainableParameters,
                totalParameters,
                wallSeconds,
                epochs,
                null,
                null,
                null);
    }

    public static JobCompleted of(
            JobRef job,
            String device,
            double testAccuracy,
            long trainable,
            long total,
            double wallSeconds,
            int epochs) {
        return of(job, device, testAccuracy, trainable, total, wallSeconds, epochs, null, null, null);
    }

    public static JobCompleted of(
            JobRef job,
            String device,
            double testAccuracy,
            long trainable,
            long total,
            double wallSeconds,
            int epochs,
            Instant startedAt,
            RunEnvironment environment,
            ModelArtifact model) {
        return new JobCompleted(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                job,
                device,
                testAccuracy,
                trainable,
                total,
                wallSeconds,
                epochs,
                startedAt,
                environment,
                model);
    }
}
