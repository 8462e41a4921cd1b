package dev.tlab.dataset.source;

/**
 * A dataset source that cannot be used: missing, wrong checksum, truncated or corrupt. Never leaves a partial dataset
 * behind. {@link #field()} names the request field to blame when the source came from the request, else
 * {@code dataset}.
 */
public class DatasetException extends RuntimeException {
    private final String field;

    public DatasetException(String message) {
        this("dataset", message, null);
    }

    public DatasetException(String message, Throwable cause) {
        this("dataset", message, cause);
    }

    public DatasetException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The same problem, blamed on another field. */
    public DatasetException blaming(String otherField) {
        return new DatasetException(otherField, getMessage(), getCause());
    }
}
