package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One finished epoch (1-based). {@code loss} is the mean cross-entropy over the epoch's samples, {@code trainAccuracy}
 * a fraction in [0, 1]; {@code dataWaitSeconds} is how long training waited for batches. {@code valLoss} (mean
 * cross-entropy) and {@code valAccuracy} are the epoch's eval-mode pass over the validation split, both present for a
 * job with {@link EpochSelection} and both absent otherwise. Written without null fields, so that an epoch without
 * validation keeps the JSON it always had.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochCompleted(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        JobRef job,
        String device,
        Integer epoch,
        Integer epochs,
        Double loss,
        Double trainAccuracy,
        Double seconds,
        Double imagesPerSecond,
        Double dataWaitSeconds,
        Double valLoss,
        Double valAccuracy)
        implements TrainingEvent {

    public static final String TYPE = "EpochCompleted";

    public EpochCompleted {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(job, "job");
        Fields.requiredText(device, "device");
        Fields.intInRange(Fields.required(epoch, "epoch"), 1, 1000, "epoch");
        Fields.intInRange(Fields.required(epochs, "epochs"), epoch, 1000, "epochs");
        Fields.required(loss, "loss");
        Fields.required(trainAccuracy, "trainAccuracy");
        if (trainAccuracy < 0 || trainAccuracy > 1) {
            throw new InvalidFieldException("trainAccuracy", "must be a fraction in [0, 1], was " + trainAccuracy);
        }
        Fields.required(seconds, "seconds");
        Fields.required(imagesPerSecond, "imagesPerSecond");
        dataWaitSeconds = Fields.orDefault(dataWaitSeconds, 0.0);
        if ((valLoss == null) != (valAccuracy == null)) {
            throw new InvalidFieldException(
                    valLoss == null ? "valLoss" : "valAccuracy", "comes with valLoss and valAccuracy both, or neither");
        }
        if (valLoss != null && valLoss < 0) {
            throw new InvalidFieldException("valLoss", "must be a cross-entropy, not negative, was " + valLoss);
        }
        if (valAccuracy != null && !(valAccuracy >= 0 && valAccuracy <= 1)) {
            throw new InvalidFieldException("valAccuracy", "must be a fraction in [0, 1], was " + valAccuracy);
        }
    }

    /** Whether the epoch was evaluated on a validation split. */
    public boolean validated() {
        return valAccuracy != null;
    }

    public static EpochCompleted of(
            JobRef job,
            String device,
            int epoch,
            int epochs,
            double loss,
            double trainAccuracy,
            double seconds,
            double imagesPerSecond,
            double dataWaitSeconds) {
        return of(
                job, device, epoch, epochs, loss, trainAccuracy, seconds, imagesPerSecond, dataWaitSeconds, null, null);
    }

    /** The same with the epoch's validation figures (null when it had none). */
    public static EpochCompleted of(
            JobRef job,
            String device,
            int epoch,
            int epochs,
            double loss,
            double trainAccuracy,
            double seconds,
            double imagesPerSecond,
            double dataWaitSeconds,
            Double valLoss,
            Double valAccuracy) {
        return new EpochCompleted(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                job,
                device,
                epoch,
                epochs,
                loss,
                trainAccuracy,
                seconds,
                imagesPerSecond,
                dataWaitSeconds,
                valLoss,
                valAccuracy);
    }
}
