package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * Everything on {@code training-events} (key experimentId, so that one experiment's events keep their order): what
 * trainers report about a job ({@link TrainingEvent}) and what the dataset service reports about the experiment as a
 * whole ({@link ExperimentFailed}). The {@code type} field selects the record; the results service reads the topic as
 * this type, a reader that only wants job events reads it as {@link TrainingEvent} (an ExperimentFailed is then
 * malformed to it).
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        include = JsonTypeInfo.As.EXISTING_PROPERTY,
        property = "type",
        visible = true)
// the job events are TrainingEvent's own subtypes, found through it
@JsonSubTypes({
    @JsonSubTypes.Type(value = TrainingEvent.class),
    @JsonSubTypes.Type(value = ExperimentFailed.class, name = ExperimentFailed.TYPE)
})
public sealed interface ExperimentEvent extends Event permits TrainingEvent, ExperimentFailed {
    /** The experiment the event belongs to: the record's key on the topic. */
    UUID experimentId();
}
