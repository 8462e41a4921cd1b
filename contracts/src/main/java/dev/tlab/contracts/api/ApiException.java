package dev.tlab.contracts.api;

/**
 * Thrown by a service's REST code to answer with an {@link ApiError}: the status, the field at fault and the reason
 * (the exception's message). Mapped to the response by the {@code rest-errors} module, the same way in every service.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String reason) {
        super(reason);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String reason) {
        return new ApiException(400, field, reason);
    }

    public static ApiException notFound(String field, String reason) {
        return new ApiException(404, field, reason);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }

    public ApiError body() {
        return new ApiError(status, field, getMessage());
    }
}
