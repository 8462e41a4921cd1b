package dev.tlab.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.InvalidFieldException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * Submits an experiment through the dataset service's {@code POST /experiments}, which checks it against the data it
 * actually has (e.g. that CIFAR-10 can be found) before publishing the Kafka message, so a request that cannot run
 * fails at once with the reason instead of waiting for results that never come.
 */
public final class ExperimentSubmitter {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String datasetUrl;
    private final String triggerToken;

    /** @param triggerToken the dataset service's tlab.dataset.trigger-token, sent as a bearer token */
    public ExperimentSubmitter(String datasetUrl, String triggerToken) {
        this.datasetUrl = datasetUrl;
        this.triggerToken = triggerToken;
    }

    public UUID submit(ExperimentSubmission submission) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(datasetUrl + "/experiments"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + triggerToken)
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.toJson(submission)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = errorBody(response.body());
            if (response.statusCode() == 202) {
                return UUID.fromString(body.path("experimentId").asText());
            }
            String field = body.path("field").asText("request");
            String reason = body.path("reason").asText(response.body());
            if (response.statusCode() == 400 || response.statusCode() == 409) {
                throw new InvalidFieldException(field, reason);
            }
            if (response.statusCode() == 413) {
                throw new InvalidFieldException(
                        "request", "too large for the dataset service (" + "quarkus.http.limits.max-body-size)");
            }
            throw new UnreachableException(
                    "the dataset service cannot run this experiment (" + response.statusCode() + "): " + field + ": "
                            + reason,
                    null);
        } catch (IOException e) {
            throw new UnreachableException("the dataset service at " + datasetUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The JSON answer, or an empty node when there is none (e.g. a 413 from the HTTP layer is plain text). */
    private static JsonNode errorBody(String body) {
        try {
            return body == null || body.isBlank()
                    ? EventCodec.mapper().nullNode()
                    : EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            return EventCodec.mapper().nullNode();
        }
    }
}
