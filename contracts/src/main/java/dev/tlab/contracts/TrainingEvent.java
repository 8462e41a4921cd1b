package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * What trainers report about a job (topic {@code training-events}, key experimentId so that one experiment's events
 * keep their order). The {@code type} field selects the record. The topic also carries the dataset service's
 * {@link ExperimentFailed}: read it as {@link ExperimentEvent} to take both.
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobStarted.class, name = JobStarted.TYPE),
    @JsonSubTypes.Type(value = EpochCompleted.class, name = EpochCompleted.TYPE),
    @JsonSubTypes.Type(value = JobCompleted.class, name = JobCompleted.TYPE),
    @JsonSubTypes.Type(value = JobFailed.class, name = JobFailed.TYPE),
    @JsonSubTypes.Type(value = JobCancelled.class, name = JobCancelled.TYPE)
})
public sealed interface TrainingEvent extends ExperimentEvent
        permits JobStarted, EpochCompleted, JobCompleted, JobFailed, JobCancelled {
    int SCHEMA_VERSION = 1;

    JobRef job();

    @Override
    default UUID experimentId() {
        return job().experimentId();
    }

    /** Where the job ran, e.g. {@code cpu()} or {@code gpu(0)}; may be null for a job that failed before choosing. */
    String device();
}
