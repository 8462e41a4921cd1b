package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A job finished: test accuracy (fraction in [0, 1]) after {@code epochs} epochs, and what it trained. The last five
 * fields are optional (added without a version bump; older writers leave them out): when this attempt started, what ran
 * it, the fine-tuned model the trainer kept, what its final evaluation found per class (the confusion matrix, the
 * calibration bins and the per-image predictions file) and what the job cost. When the evaluation has its matrix, the
 * matrix's diagonal over its images is the test accuracy.
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
        ModelArtifact model,
        Evaluation evaluation,
        JobCost cost)
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
        Long correct = evaluation == null ? null : evaluation.correct();
        if (correct != null
                && evaluation.testImages() > 0
                && Math.abs((double) correct / evaluation.testImages() - testAccuracy) > 1e-9) {
            throw new InvalidFieldException(
                    "testAccuracy",
                    "is " + testAccuracy + " but the evaluation's confusion matrix has " + correct + " of "
                            + evaluation.testImages() + " right");
        }
    }

    public static JobCompleted of(
            JobRef job,
            String device,
            double testAccuracy,
            long trainable,
            long total,
            double wallSeconds,
            int epochs) {
        return of(job, device, testAccuracy, trainable, total, wallSeconds, epochs, null, null, null, null, null);
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
            ModelArtifact model,
            Evaluation evaluation,
            JobCost cost) {
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
                model,
                evaluation,
                cost);
    }
}
