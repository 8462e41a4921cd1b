package dev.tlab.cli.client;

/** The broker or a service could not be reached; scripts see a distinct exit code for it. */
public class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
