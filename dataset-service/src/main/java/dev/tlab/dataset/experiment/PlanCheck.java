package dev.tlab.dataset.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.DatasetMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks a trainer's {@code POST /plan} whether an experiment's model and strategies can train, before any job is
 * published: the trainer loads the model as it would for a job (reachable, TorchScript, sha256), checks that every
 * trainable and head pattern matches a parameter and that its device can compute in the asked precision. Its 4xx answer
 * becomes this request's 400 with the same field and reason. The trainer's planner wants a bearer token
 * ({@code tlab.trainer.plan-token}); this check sends {@code tlab.dataset.plan-token}, the same secret. Without a
 * planner URL, or when no trainer answers (trainers may be scaled to zero), the check is skipped with a warning: the
 * trainer then refuses a bad job at its start, with the same reason.
 */
public final class PlanCheck {
    private static final Logger LOG = Logger.getLogger(PlanCheck.class);
    /** The plan request's fields that are hyper-parameters of the experiment. */
    private static final List<String> HYPER_PARAMETERS = List.of("headPatterns", "precision");

    /** What the check came to. */
    public enum Outcome {
        PASSED,
        SKIPPED
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Optional<URI> planner;
    private final Duration timeout;
    private final Optional<String> token;
    private final DatasetMetrics metrics;

    /**
     * @param plannerUrl a trainer's base URL ({@code tlab.dataset.planner-url}); empty: no check
     * @param token the bearer token the planner wants ({@code tlab.dataset.plan-token}); empty: none is sent
     */
    public PlanCheck(Optional<String> plannerUrl, Duration timeout, Optional<String> token, DatasetMetrics metrics) {
        this.planner = plannerUrl
                .map(String::strip)
                .filter(url -> !url.isEmpty())
                .map(url -> URI.create(url.replaceAll("/+$", "") + "/plan"));
        this.timeout = timeout;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        this.metrics = metrics;
    }

    public Outcome check(PlanRequest plan) {
        if (planner.isEmpty()) {
            return Outcome.SKIPPED;
        }
        URI uri = planner.get();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.toJson(plan)));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return skipped(uri, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped(uri, "interrupted");
        }
        int status = response.statusCode();
        if (status == 200) {
            metrics.planCheck("passed");
            return Outcome.PASSED;
        }
        if (status == 401 || status == 403) {
            // the planner is there and refuses this service: a configuration error, not a bad request
            metrics.planCheck("unauthorized");
            throw new ApiException(
                    502,
                    "$",
                    "the trainer's planner at " + uri + " refused this service (HTTP " + status + "): the operator"
                            + " must set tlab.dataset.plan-token to the trainers' tlab.trainer.plan-token");
        }
        if (status >= 400 && status < 500 && status != 404) {
            JsonNode error = errorBody(response.body());
            String field = error.path("field").asText("$");
            metrics.planCheck("rejected");
            throw new InvalidFieldException(
                    requestField(field),
                    error.path("reason").asText("the trainer's planner refused it (HTTP " + status + ")"));
        }
        return skipped(uri, "HTTP " + status);
    }

    /**
     * The planner's body has {@code headPatterns} and {@code precision} at the top; in an experiment they sit in
     * hyperParameters. {@code numClasses} is the dataset's class count, which the request's model cannot take: the
     * model is to blame.
     */
    static String requestField(String plannerField) {
        if (plannerField.equals("numClasses")) {
            return "model.uri";
        }
        for (String hyperParameter : HYPER_PARAMETERS) {
            if (plannerField.equals(hyperParameter) || plannerField.startsWith(hyperParameter + "[")) {
                return "hyperParameters." + plannerField;
            }
        }
        return plannerField;
    }

    private Outcome skipped(URI uri, String why) {
        LOG.warnf(
                "plan check skipped: the trainer's planner at %s did not answer (%s); a bad model or strategy is"
                        + " refused by the trainer when the job starts",
                uri, why);
        metrics.planCheck("skipped");
        return Outcome.SKIPPED;
    }

    private static JsonNode errorBody(String body) {
        try {
            return EventCodec.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return EventCodec.mapper().createObjectNode();
        }
    }
}
