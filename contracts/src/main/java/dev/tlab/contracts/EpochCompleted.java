package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One finished epoch (1-based). {@code loss} is the mean cross-entropy over the epoch's samples, {@code trainAccuracy}
 * a fraction in [0, 1]; {@code dataWaitSeconds} is how long training waited for batches. Written without null fields
 * (every field is set today), so that optional figures added later (an epoch's validation loss and accuracy) leave the
 * JSON of an epoch without them as it is.
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
        Double dataWaitSeconds)
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
                dataWaitSeconds);
    }
}
