package dev.tlab.dataset.api;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.dataset.experiment.ExperimentConflictException;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.dataset.source.DatasetException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps failures to JSON {@link ApiError}s: 400 for bad input, 404 for unknown ids, 409 for a re-used experiment id,
 * 503 for an unusable source or a broker that does not take the request (with Retry-After).
 */
public class ApiErrors {

    @ServerExceptionMapper
    public Response malformed(MalformedEventException e) {
        return error(400, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response conflict(ExperimentConflictException e) {
        return error(409, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                .entity(new ApiError("$", e.getMessage())).build();
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
