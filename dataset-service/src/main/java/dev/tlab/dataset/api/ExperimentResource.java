package dev.tlab.dataset.api;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.Fields;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.CancellationService;
import dev.tlab.dataset.experiment.ExperimentIntake;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.rest.BearerToken;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * {@code POST /experiments}: validates a submission and publishes it as ExperimentRequested to {@code experiments};
 * {@code DELETE /experiments/{id}}: cancels it. Both need the trigger token when one is set.
 */
@Path("/experiments")
public class ExperimentResource {
    private static final Logger LOG = Logger.getLogger(ExperimentResource.class);

    /** The 202 answer: the experiment id and where to follow its results. */
    public record Accepted(String experimentId, String watch, String dataset, boolean synthetic) {}

    private final DatasetConfig config;
    private final ExperimentIntake intake;
    private final CancellationService cancellations;
    private final DatasetMetrics metrics;

    public ExperimentResource(
            DatasetConfig config, ExperimentIntake intake, CancellationService cancellations, DatasetMetrics metrics) {
        this.config = config;
        this.intake = intake;
        this.cancellations = cancellations;
        this.metrics = metrics;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Start an experiment",
            description = "Body: an ExperimentSubmission as application/json (every field optional, defaults are the"
                    + " notebook's; unknown fields and empty lists are refused; bounded by tlab.dataset.limits.*)."
                    + " Publishes ExperimentRequested to the experiments topic. A request that fails after this"
                    + " answer (e.g. its dataset turns out damaged) shows on the results service as failed, with the"
                    + " reason.")
    @RequestBody(description = "ExperimentSubmission JSON", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "202", description = "published; follow the watch URL")
    @APIResponse(
            responseCode = "400",
            description = "{field, reason} naming the bad field (also: over a limit, a"
                    + " model or pattern the trainer's planner refuses)")
    @APIResponse(
            responseCode = "401",
            description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(
            responseCode = "409",
            description = "the experimentId was already used for a different request, or its experiment failed")
    @APIResponse(responseCode = "413", description = "the body is larger than quarkus.http.limits.max-body-size")
    @APIResponse(responseCode = "415", description = "the body is not declared as Content-Type: application/json")
    @APIResponse(
            responseCode = "502",
            description = "the trainer's planner refused this service's token (tlab.dataset.plan-token)")
    @APIResponse(
            responseCode = "503",
            description = "the dataset source cannot be had or is damaged, or Kafka did not"
                    + " take the request in time (with Retry-After)")
    public Response submit(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            String body) {
        ExperimentRequested request;
        try {
            trigger().check(authorization);
            requireJson(contentType);
            request = intake.submit(body);
        } catch (RuntimeException e) {
            metrics.rejected("rest", e);
            if (e instanceof BrokerUnavailableException) {
                LOG.warnf("experiment not accepted: %s", e.getMessage());
            }
            throw e;
        }
        String id = request.experimentId().toString();
        LOG.infof(
                "experiment %s accepted (%s%s, %d strategies, %d seeds)",
                id,
                request.dataset().name(),
                request.dataset().synthetic() ? ", SYNTHETIC" : "",
                request.strategies().size(),
                request.seeds().size());
        String watch = stripSlash(config.resultsUrl()) + "/experiments/" + id;
        return Response.accepted(new Accepted(
                        id, watch, request.dataset().name(), request.dataset().synthetic()))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /**
     * A body is JSON, UTF-8 (RFC 8259), and says so: without the header a client's form or text would be read as if it
     * were JSON.
     */
    static void requireJson(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        boolean json = parts[0].strip().equalsIgnoreCase(MediaType.APPLICATION_JSON);
        for (int i = 1; i < parts.length && json; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2) {
                json = parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8");
            }
        }
        if (!json) {
            throw new ApiException(
                    415,
                    HttpHeaders.CONTENT_TYPE,
                    "must be application/json (UTF-8), was "
                            + (contentType == null ? "missing" : Fields.quote(contentType)));
        }
    }

    /** The 202 answer of a cancellation. */
    public record Cancelled(String experimentId, String reason, boolean alreadyCancelled, String watch) {}

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Cancel an experiment",
            description = "Publishes ExperimentCancelled: trainers skip its queued"
                    + " jobs and stop its running ones at the next batch (each reports JobCancelled), no further job of it is"
                    + " published, and the results service shows it cancelled. Cancelling twice changes nothing.")
    @APIResponse(responseCode = "202", description = "cancellation published (or already in effect)")
    @APIResponse(responseCode = "400", description = "the id is not a UUID, or the reason is too long")
    @APIResponse(
            responseCode = "401",
            description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(responseCode = "404", description = "no experiment with this id was requested from this service")
    @APIResponse(responseCode = "503", description = "the broker did not take the cancellation; retry later")
    public Response cancel(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id,
            @QueryParam("reason") String reason) {
        checkToken(authorization);
        UUID experimentId;
        try {
            experimentId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "experimentId", "must be a UUID, was '" + id + "'");
        }
        if (!cancellations.known(experimentId)) {
            throw new ApiException(
                    404,
                    "experimentId",
                    "no experiment " + experimentId + " was requested here (if it was"
                            + " just submitted to the experiments topic, try again once its jobs are published)");
        }
        CancellationService.Cancellation cancellation;
        try {
            cancellation = cancellations.cancel(experimentId, reason);
        } catch (BrokerUnavailableException e) { // answered 503 with Retry-After, as for POST
            LOG.errorf("cancellation of experiment %s could not be published: %s", experimentId, e.getMessage());
            throw e;
        }
        LOG.infof(
                "experiment %s %s: %s",
                experimentId,
                cancellation.before() ? "was already cancelled" : "cancelled",
                cancellation.event().reason());
        String watch = stripSlash(config.resultsUrl()) + "/experiments/" + experimentId;
        return Response.accepted(new Cancelled(
                        experimentId.toString(), cancellation.event().reason(), cancellation.before(), watch))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private void checkToken(String authorization) {
        try {
            trigger().check(authorization);
        } catch (ApiException e) {
            metrics.rejected("rest", e);
            throw e;
        }
    }

    private BearerToken trigger() {
        return BearerToken.openWhenUnset(config.triggerToken(), "tlab.dataset.trigger-token");
    }

    private static String stripSlash(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
