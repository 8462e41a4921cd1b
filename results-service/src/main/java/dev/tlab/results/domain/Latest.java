package dev.tlab.results.domain;

import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * A fact about a job that its attempts report, and the one rule for it: the highest attempt that reported wins. An
 * attempt that reports takes over even when it repeats the known value, so that a late report of an older attempt can
 * never override it afterwards (an attempt's events may arrive in any order, and after a newer attempt's). Within one
 * attempt, {@code withinAttempt} combines what is known with the new report (by default the new report wins). A null
 * report says nothing and changes nothing.
 *
 * <p>Not thread-safe: {@link ResultsStore} serialises access.
 */
final class Latest<T> {
    private final BinaryOperator<T> withinAttempt;
    private T value;
    /** The highest attempt that reported; 0 before any report. */
    private int attempt;

    private Latest(BinaryOperator<T> withinAttempt) {
        this.withinAttempt = withinAttempt;
    }

    /** Within one attempt, the report that arrives last wins. */
    static <T> Latest<T> lastReportWins() {
        return new Latest<>((known, reported) -> reported);
    }

    /** Within one attempt, {@code withinAttempt(known, reported)} is kept: for facts reported piece by piece. */
    static <T> Latest<T> merging(BinaryOperator<T> withinAttempt) {
        return new Latest<>(Objects.requireNonNull(withinAttempt, "withinAttempt"));
    }

    /**
     * An attempt's report.
     *
     * @return whether the value changed
     */
    boolean report(int reportingAttempt, T reported) {
        if (reported == null || reportingAttempt < attempt) {
            return false;
        }
        T next = reportingAttempt == attempt && value != null ? withinAttempt.apply(value, reported) : reported;
        attempt = reportingAttempt; // also when the value is unchanged: an older attempt cannot override it later
        boolean changed = !next.equals(value);
        value = next;
        return changed;
    }

    /** The value of the highest attempt that reported, or null before any report. */
    T value() {
        return value;
    }

    /** The highest attempt that reported; 0 before any report. */
    int attempt() {
        return attempt;
    }
}
