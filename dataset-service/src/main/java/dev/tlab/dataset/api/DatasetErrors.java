package dev.tlab.dataset.api;

import dev.tlab.contracts.api.ApiError;
import dev.tlab.dataset.experiment.ExperimentConflictException;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.dataset.source.DatasetException;
import dev.tlab.rest.ApiErrors;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's own failures as the shared error body ({@link ApiErrors} maps bad input and {@code ApiException}): 409
 * for a re-used experiment id, 503 for an unusable source or a broker that does not take the request (with
 * Retry-After), 400 for a dataset option that cannot work.
 */
public class DatasetErrors {

    @ServerExceptionMapper
    public Response conflict(ExperimentConflictException e) {
        return ApiErrors.response(409, e.field(), e.reason());
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e) {
        return ApiErrors.builder(new ApiError(503, "$", e.getMessage()))
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                .build();
    }

    @ServerExceptionMapper
    public Response dataset(DatasetException e) {
        return ApiErrors.response("dataset".equals(e.field()) ? 503 : 400, e.field(), e.getMessage());
    }
}
