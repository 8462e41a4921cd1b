package dev.tlab.contracts;

import java.time.Instant;

/**
 * Why one attempt of a job failed. A retried job carries the failures of its earlier attempts, so that its final
 * JobFailed can report every attempt's reason.
 */
public record FailedAttempt(Integer attempt, String reason, Instant failedAt) {
    /** Longer reasons are cut: a job may fail many times and its events must stay small. */
    public static final int MAX_REASON_CHARS = 2_000;

    public FailedAttempt {
        Fields.intInRange(Fields.required(attempt, "attempt"), 1, 1000, "attempt");
        Fields.requiredText(reason, "reason");
        reason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "…" : reason;
        Fields.required(failedAt, "failedAt");
    }
}
