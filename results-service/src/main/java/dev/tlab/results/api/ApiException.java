package dev.tlab.results.api;

import jakarta.ws.rs.WebApplicationException;

/** Thrown by resources to answer with an {@link ApiError} body. */
public class ApiException extends WebApplicationException {
    public ApiException(jakarta.ws.rs.core.Response response) {
        super(response);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiError.notFound(message));
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(ApiError.badRequest(field, message));
    }
}
