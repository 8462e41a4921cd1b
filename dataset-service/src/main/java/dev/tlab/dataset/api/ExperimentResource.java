package dev.tlab.dataset.api;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.CancellationService;
import dev.tlab.dataset.experiment.ExperimentService;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.source.DatasetException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    public record Accepted(String experimentId, String watch, String dataset, boolean synthetic) {
    }

    @Inject
    DatasetConfig config;
    @Inject
    ExperimentService experiments;
    @Inject
    EventPublisher publisher;
    @Inject
    DatasetMetrics metrics;
    @Inject
    CancellationService cancellations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an experiment", description = "Body: an ExperimentSubmission (every field optional,"
            + " defaults are the notebook's). Publishes ExperimentRequested to the experiments topic.")
    @RequestBody(description = "ExperimentSubmission JSON")
    @APIResponse(responseCode = "202", description = "published; follow the watch URL")
    @APIResponse(responseCode = "400", description = "{field, reason} naming the bad field")
    @APIResponse(responseCode = "401", description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(responseCode = "503", description = "the dataset source cannot be had")
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        checkToken(authorization);
        ExperimentRequested request;
        try {
            request = EventCodec.fromJson(body, ExperimentSubmission.class).toEvent();
            experiments.check(request);
        } catch (MalformedEventException e) {
            metrics.rejected("rest", "malformed", e.field());
            throw e;
        } catch (InvalidFieldException e) {
            metrics.rejected("rest", "invalid", e.field());
            throw e;
        } catch (DatasetException e) {
            metrics.rejected("rest", "dataset-unavailable", e.field());
            throw e;
        }
        publisher.publishExperiment(request);
        cancellations.accepted(request.experimentId());
        String id = request.experimentId().toString();
        LOG.infof("experiment %s accepted (%s%s, %d strategies, %d seeds)", id, request.dataset().name(),
                request.dataset().synthetic() ? ", SYNTHETIC" : "", request.strategies().size(), request.seeds().size());
        String watch = stripSlash(config.resultsUrl()) + "/experiments/" + id;
        return Response.accepted(new Accepted(id, watch, request.dataset().name(), request.dataset().synthetic()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    /** The 202 answer of a cancellation. */
    public record Cancelled(String experimentId, String reason, boolean alreadyCancelled, String watch) {
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel an experiment", description = "Publishes ExperimentCancelled: trainers skip its queued"
            + " jobs and stop its running ones at the next batch (each reports JobCancelled), no further job of it is"
            + " published, and the results service shows it cancelled. Cancelling twice changes nothing.")
    @APIResponse(responseCode = "202", description = "cancellation published (or already in effect)")
    @APIResponse(responseCode = "400", description = "the id is not a UUID, or the reason is too long")
    @APIResponse(responseCode = "401", description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(responseCode = "404", description = "no experiment with this id was requested from this service")
    @APIResponse(responseCode = "503", description = "the broker did not take the cancellation; retry later")
    public Response cancel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @QueryParam("reason") String reason) {
        checkToken(authorization);
        UUID experimentId;
        try {
            experimentId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "experimentId", "must be a UUID, was '" + id + "'");
        }
        if (!cancellations.known(experimentId)) {
            throw new ApiException(404, "experimentId", "no experiment " + experimentId + " was requested here (if it was"
                    + " just submitted to the experiments topic, try again once its jobs are published)");
        }
        CancellationService.Cancellation cancellation;
        try {
            cancellation = cancellations.cancel(experimentId, reason);
        } catch (InvalidFieldException e) {
            throw e;
        } catch (RuntimeException brokerProblem) {
            LOG.errorf("cancellation of experiment %s could not be published: %s", experimentId, brokerProblem.getMessage());
            return Response.status(503).header("Retry-After", "10").type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("$", "the cancellation could not be published to Kafka ("
                            + brokerProblem.getMessage() + "); try again")).build();
        }
        LOG.infof("experiment %s %s: %s", experimentId, cancellation.before() ? "was already cancelled" : "cancelled",
                cancellation.event().reason());
        String watch = stripSlash(config.resultsUrl()) + "/experiments/" + experimentId;
        return Response.accepted(new Cancelled(experimentId.toString(), cancellation.event().reason(),
                cancellation.before(), watch)).type(MediaType.APPLICATION_JSON).build();
    }

    private void checkToken(String authorization) {
        String token = config.triggerToken().map(String::strip).orElse("");
        if (token.isEmpty()) {
            return;
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            metrics.rejected("rest", "unauthorized", "Authorization");
            throw new ApiException(401, "Authorization", given.isEmpty()
                    ? "a bearer token is required (Authorization: Bearer <tlab.dataset.trigger-token>)"
                    : "wrong bearer token");
        }
    }

    private static String stripSlash(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
