package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A trainer took a job. {@code startEpoch} is 1 for a fresh start and later when it resumes from a checkpoint.
 * {@code environment} (optional) says which engine, libtorch and trainer version run it; {@code precision} (optional)
 * the number format the trainer computes it in, from the job's hyper-parameters. Both were added without a version
 * bump: older writers leave them out, so they read as null (for precision: not reported, which was float32).
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
        RunEnvironment environment,
        Precision precision)
        implements TrainingEvent {

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

    public static JobStarted of(
            JobRef job,
            String device,
            int startEpoch,
            int epochs,
            long trainable,
            long total,
            String dataset,
            boolean synthetic) {
        return of(job, device, startEpoch, epochs, trainable, total, dataset, synthetic, null, null);
    }

    /** With what ran it and in which precision (both optional on read: older writers leave them out). */
    public static JobStarted of(
            JobRef job,
            String device,
            int startEpoch,
            int epochs,
            long trainable,
            long total,
            String dataset,
            boolean synthetic,
            RunEnvironment environment,
            Precision precision) {
        return new JobStarted(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                job,
                device,
                startEpoch,
                epochs,
                trainable,
                total,
                dataset,
                synthetic,
                environment,
                precision);
    }
}
