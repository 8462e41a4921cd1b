package dev.tlab.results.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON body of every error: HTTP status, a short code, the field at fault (if any) and a readable message. */
public record ApiError(int status, String error, String field, String message) {

    public static Response notFound(String message) {
        return response(new ApiError(404, "not-found", null, message));
    }

    public static Response badRequest(String field, String message) {
        return response(new ApiError(400, "bad-request", field, message));
    }

    static Response response(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
