package dev.tlab.dataset.experiment;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.dataset.source.DatasetException;

/**
 * What a refused or failed experiment request comes to, from either door: a small fixed vocabulary for the metric
 * ({@code tlab_dataset_requests_rejected_total{reason}}), the request field to blame and the reason. One mapping, so
 * that REST, the topic and the ExperimentFailed event name a failure alike.
 *
 * @param kind malformed, conflict, invalid, dataset-unavailable, broker-unavailable, unauthorized,
 *     unsupported-media-type, planner-refused or failed
 * @param field the request field, or {@code $} for the request as a whole
 */
public record RequestFailure(String kind, String field, String reason) {

    public static RequestFailure of(Throwable failure) {
        if (failure instanceof MalformedEventException e) {
            return new RequestFailure("malformed", e.field(), e.reason());
        }
        if (failure instanceof ExperimentConflictException e) {
            return new RequestFailure("conflict", e.field(), e.reason());
        }
        if (failure instanceof InvalidFieldException e) {
            return new RequestFailure("invalid", e.field(), e.reason());
        }
        if (failure instanceof DatasetException e) {
            return new RequestFailure("dataset-unavailable", e.field(), e.getMessage());
        }
        if (failure instanceof BrokerUnavailableException e) {
            return new RequestFailure("broker-unavailable", "$", e.getMessage());
        }
        if (failure instanceof ApiException e) {
            String kind = switch (e.status()) {
                case 401 -> "unauthorized";
                case 415 -> "unsupported-media-type";
                case 502 -> "planner-refused";
                case 503 -> "dataset-unavailable";
                default -> "invalid";
            };
            return new RequestFailure(kind, e.field(), e.reason());
        }
        String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
        return new RequestFailure("failed", "$", message);
    }
}
