package dev.tlab.trainer.job;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.trainer.engine.PermanentFailure;
import java.time.Duration;

/**
 * How often a failed job is tried again and how long it waits, in the manner of Katib's {@code maxFailedTrialCount}: a
 * job may fail {@code maxAttempts} times in all; the n-th retry waits {@code initialBackoff * 2^(n-1)}, at most
 * {@code maxBackoff}. Errors that cannot succeed on a retry fail at once. A trainer that dies mid-job is not a failure:
 * its job is redelivered and resumes without spending the budget.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "tlab.trainer.retry.max-attempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "tlab.trainer.retry backoffs must satisfy 0 <= initial-backoff <= max-backoff");
        }
    }

    /**
     * Whether another attempt could succeed. A failure is permanent by its type, never by a guess: it, or an error it
     * wraps, implements {@link PermanentFailure} (the engine's {@code ModelUnavailableException} for a model or a
     * checkpoint that cannot be loaded and its {@code MixedPrecisionUnavailableException}; this service's
     * {@code DataIntegrityException} for data that does not match its digest and {@code DataOriginException} for a
     * manifest or data URL off the dataset service), or it is one of the contracts' validation errors thrown while the
     * job runs: {@link InvalidFieldException} (a strategy pattern that matches no parameter, fp16 on a CPU trainer) and
     * {@link MalformedEventException} (a manifest that cannot be read as one). Everything else is retried within the
     * budget.
     */
    public static boolean retryable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentFailure
                    || t instanceof InvalidFieldException
                    || t instanceof MalformedEventException) {
                return false;
            }
        }
        return true;
    }

    /** Whether a job that has failed {@code failures} times (this one included) gets another attempt. */
    public boolean budgetLeft(int failures) {
        return failures < maxAttempts;
    }

    /** The wait before the attempt that follows the {@code failures}-th failure. */
    public Duration backoffAfter(int failures) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
