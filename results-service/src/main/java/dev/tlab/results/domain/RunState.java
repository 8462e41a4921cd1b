package dev.tlab.results.domain;

import java.util.Locale;

/**
 * Where one training job stands. Within one attempt the order below is the order of progress: an event never moves a
 * job back (a late JobStarted does not undo a JobCompleted of the same attempt); a higher attempt always wins.
 * {@code RETRYING}: the attempt failed and the next one is published; it waits for its backoff.
 */
public enum RunState {
    QUEUED,
    RUNNING,
    RETRYING,
    CANCELLED,
    FAILED,
    COMPLETED;

    /** Lower-case name as shown in JSON, the page and the metrics ({@code queued}, {@code running}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == FAILED || this == COMPLETED || this == CANCELLED;
    }

    /** Not started yet, or waiting to start again. */
    public boolean waiting() {
        return this == QUEUED || this == RETRYING;
    }
}
