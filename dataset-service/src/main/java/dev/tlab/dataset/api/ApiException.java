package dev.tlab.dataset.api;

/** An error answer with a status, a field and a reason. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String reason) {
        super(reason);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
