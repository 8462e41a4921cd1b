package dev.tlab.contracts;

/**
 * A message that cannot be read as the expected event: not JSON, a missing required field, a wrong type or a value
 * outside its domain. {@link #field()} names the field ({@code $} for the message as a whole).
 */
public class MalformedEventException extends RuntimeException {
    private final String field;
    private final String reason;

    public MalformedEventException(String field, String reason, Throwable cause) {
        super(field + ": " + reason, cause);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
