package dev.tlab.trainer.api;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad input is a 400 with the field and the reason, never a 500 with the reason only in the log. */
public class ApiErrors {

    @ServerExceptionMapper
    public Response malformed(MalformedEventException e) {
        return badRequest(e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidFieldException e) {
        return badRequest(e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response model(ModelUnavailableException e) {
        return badRequest(e.field(), e.getMessage());
    }

    private static Response badRequest(String field, String reason) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ApiError(field, reason)).build();
    }
}
