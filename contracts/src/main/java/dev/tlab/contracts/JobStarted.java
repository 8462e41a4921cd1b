package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A trainer took a job. {@code startEpoch} is 1 for a fresh start and later when it resumes from a checkpoint.
 * {@code environment} (optional) says which engine, libtorch and trainer version run it.
 */
public record JobStarted(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        Integer startEpoch,
        Integer epochs,
        Long trainableParameters,
        Long totalParameters,
        String dataset,
        Boolean synthetic,
        RunEnvironment environment) implements TrainingEvent {

    public static final String TYPE = "JobStarted";

    public JobStarted {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.requiredText(device, "device");
        Fields.required(startEpoch, "startEpoch");
        Fields.required(epochs, "epochs");
        Fields.required(trainableParameters, "trainableParameters");
        Fields.required(totalParameters, "totalParameters");
        Fields.requiredText(dataset, "dataset");
        Fields.required(synthetic, "synthetic");
    }

    /** The fields before {@code environment} (older callers). */
    public JobStarted(UUID eventId, String type, Integer schemaVersion, Instant occurredAt, JobRef job, String device,
            Integer startEpoch, Integer epochs, Long trainableParameters, Long totalParameters, String dataset,
            Boolean synthetic) {
        this(eventId, type, schemaVersion, occurredAt, job, device, startEpoch, epochs, trainableParameters,
                totalParameters, dataset, synthetic, null);
    }

    public static JobStarted of(JobRef job, String device, int startEpoch, int epochs, long trainable, long total,
            String dataset, boolean synthetic) {
        return of(job, device, startEpoch, epochs, trainable, total, dataset, synthetic, null);
    }

    /** With what ran it ({@code environment} is optional: added without a version bump, older writers leave it out). */
    public static JobStarted of(JobRef job, String device, int startEpoch, int epochs, long trainable, long total,
            String dataset, boolean synthetic, RunEnvironment environment) {
        return new JobStarted(UUID.randomUUID(), TYPE, SCHEMA_VERSION, Instant.now(), job, device, startEpoch, epochs,
                trainable, total, dataset, synthetic, environment);
    }
}
