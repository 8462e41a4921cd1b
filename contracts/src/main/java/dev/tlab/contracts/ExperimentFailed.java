package dev.tlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The dataset service could not carry out an experiment it had taken on: {@code POST /experiments} had answered 202 (or
 * the request came from the {@code experiments} topic) and then the request was refused or its manifest or jobs could
 * not be made, e.g. because the dataset turned out to be damaged. No (further) job of it is published; jobs published
 * before still run. Published to {@code training-events} with key experimentId, where the results service reads
 * everything about an experiment in order, so that the experiment shows as failed with the reason instead of staying
 * unknown. Its id is spent: the dataset service refuses it from then on (submit again with a new experimentId).
 *
 * @param requestedAt when the experiment was requested (the request's {@code occurredAt})
 * @param field the request field to blame, as a 400 answer would name it ({@code dataset}, {@code model.uri}), or
 *     {@code $} for the request as a whole
 * @param reason why, and where it can, what to do; at most {@link #MAX_REASON_CHARS} characters
 */
public record ExperimentFailed(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        UUID experimentId,
        Instant requestedAt,
        String field,
        String reason)
        implements ExperimentEvent {

    public static final String TYPE = "ExperimentFailed";
    public static final int SCHEMA_VERSION = 1;
    /** Reasons are cut to this length by {@link #of}; a longer one is refused on reading. */
    public static final int MAX_REASON_CHARS = 4_000;

    public ExperimentFailed {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.requiredId(experimentId, "experimentId");
        field = field == null || field.isBlank() ? "$" : Fields.maxLength(field, 200, "field");
        Fields.requiredText(reason, "reason");
        Fields.maxLength(reason, MAX_REASON_CHARS, "reason");
    }

    public static ExperimentFailed of(UUID experimentId, Instant requestedAt, String field, String reason) {
        String text = reason == null || reason.isBlank() ? "failed without a reason" : reason.strip();
        if (text.length() > MAX_REASON_CHARS) {
            text = text.substring(0, MAX_REASON_CHARS - 3) + "...";
        }
        return new ExperimentFailed(
                UUID.randomUUID(), TYPE, SCHEMA_VERSION, Instant.now(), experimentId, requestedAt, field, text);
    }
}
