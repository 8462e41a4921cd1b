package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A job finished: test accuracy (fraction in [0, 1]) after {@code epochs} epochs, and what it trained. The last six
 * fields are optional (added without a version bump; older writers leave them out): when this attempt started, what ran
 * it, the fine-tuned model the trainer kept, what its final evaluation found per class (the confusion matrix, the
 * calibration bins and the per-image predictions file), what the job cost, and for a job with {@link EpochSelection}
 * the epoch it was tested on and why ({@code selection}, written only when set). When the evaluation has its matrix,
 * the matrix's diagonal over its images is the test accuracy. {@code epochs} is the epochs the job trained (fewer than
 * asked when it stopped early); the test accuracy, the kept model and the evaluation are those of the selected epoch
 * when there is a selection, of the last epoch otherwise.
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
        JobCost cost,
        @JsonInclude(JsonInclude.Include.NON_NULL) SelectedEpoch selection)
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
        if (selection != null && !selection.epochsTrained().equals(epochs)) {
            throw new InvalidFieldException(
                    "selection.epochsTrained",
                    "is " + selection.epochsTrained() + " but the job reports " + epochs + " epochs trained");
        }
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
        return of(job, device, testAccuracy, trainable, total, wallSeconds, epochs, null, null, null, null, null, null);
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
            JobCost cost,
            SelectedEpoch selection) {
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
                cost,
                selection);
    }
}
