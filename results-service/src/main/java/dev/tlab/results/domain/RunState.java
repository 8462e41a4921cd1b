package dev.tlab.results.domain;

import java.util.Locale;

/**
 * Where one training job stands. Within one attempt the order below is the order of progress: an event never moves a
 * job back (a late JobStarted does not undo a JobCompleted of the same attempt); a higher attempt always wins.
 */
public enum RunState {
    QUEUED, RUNNING, FAILED, COMPLETED;

    /** Lower-case name as shown in JSON, the page and the metrics ({@code queued}, {@code running}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == FAILED || this == COMPLETED;
    }
}
