package dev.tlab.dataset.api;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.dataset.source.DatasetException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures to JSON {@link ApiError}s: 400 for bad input, 404 for unknown ids, 503 for an unusable source. */
public class ApiErrors {

    @ServerExceptionMapper
    public Response malformed(MalformedEventException e) {
        return error(400, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidFieldException e) {
        return error(400, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response dataset(DatasetException e) {
        return error("dataset".equals(e.field()) ? 503 : 400, e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.field(), e.getMessage()));
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        return builder.build();
    }

    static Response error(int status, String field, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(field, reason)).build();
    }
}
