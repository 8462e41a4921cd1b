package dev.tlab.dataset.messaging;

import java.time.Duration;

/** The broker did not take a message in time; REST answers 503 with Retry-After. */
public class BrokerUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public BrokerUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
