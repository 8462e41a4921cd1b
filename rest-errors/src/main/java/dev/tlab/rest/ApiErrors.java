package dev.tlab.rest;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.ApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The failures every service answers the same way, as an {@link ApiError} body: an {@link ApiException} with its own
 * status (401 also says {@code WWW-Authenticate: Bearer}), and a body that does not decode or does not validate
 * ({@link MalformedEventException}, {@link InvalidFieldException}) as 400 naming the field. A service maps its own
 * exceptions with {@link #response}, in its {@code api} package.
 */
public class ApiErrors {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder builder = builder(e.body());
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response malformed(MalformedEventException e) {
        return response(400, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidFieldException e) {
        return response(400, e.field(), e.reason());
    }

    public static Response response(int status, String field, String reason) {
        return builder(new ApiError(status, field, reason)).build();
    }

    public static Response.ResponseBuilder builder(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error);
    }
}
