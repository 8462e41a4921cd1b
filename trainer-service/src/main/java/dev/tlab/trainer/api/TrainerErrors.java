package dev.tlab.trainer.api;

import dev.tlab.rest.ApiErrors;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's own failures as the shared error body ({@link ApiErrors} maps bad input): a model that cannot be used
 * is a 400 naming the field and saying what to do, never a 500 with the reason only in the log.
 */
public class TrainerErrors {

    @ServerExceptionMapper
    public Response model(ModelUnavailableException e) {
        return ApiErrors.response(400, e.field(), e.getMessage());
    }
}
