package dev.tlab.results.domain;

/** What applying one message did to the aggregate. */
public enum Outcome {
    /** The message changed the aggregate. */
    APPLIED,
    /** Its eventId was seen before: nothing changed. */
    DUPLICATE,
    /** Superseded by newer information (a lower attempt, an epoch already redone): nothing changed. */
    STALE
}
