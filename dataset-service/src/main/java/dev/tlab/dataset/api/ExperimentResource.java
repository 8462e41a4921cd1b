package dev.tlab.dataset.api;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Requests;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.CancellationService;
import dev.tlab.dataset.experiment.ExperimentAdmission;
import dev.tlab.dataset.experiment.ExperimentConflictException;
import dev.tlab.dataset.experiment.ExperimentRegistry;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
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
    public record Accepted(String experimentId, String watch, String dataset, boolean synthetic) {}

    @Inject
    DatasetConfig config;

    @Inject
    ExperimentAdmission admission;

    @Inject
    ExperimentRegistry registry;

    @Inject
    EventPublisher publisher;

    @Inject
    DatasetMetrics metrics;

    @Inject
    CancellationService cancellations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Start an experiment",
            description = "Body: an ExperimentSubmission (every field optional,"
                    + " defaults are the notebook's; unknown fields are refused; bounded by tlab.dataset.limits.*)."
                    + " Publishes ExperimentRequested to the experiments topic.")
    @RequestBody(description = "ExperimentSubmission JSON")
    @APIResponse(responseCode = "202", description = "published; follow the watch URL")
    @APIResponse(
            responseCode = "400",
            description = "{field, reason} naming the bad field (also: over a limit, a"
                    + " model or pattern the trainer's planner refuses)")
    @APIResponse(
            responseCode = "401",
            description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(responseCode = "409", description = "the experimentId was already used for a different request")
    @APIResponse(responseCode = "413", description = "the body is larger than quarkus.http.limits.max-body-size")
    @APIResponse(
            responseCode = "503",
            description = "the dataset source cannot be had or is damaged, or Kafka did not"
                    + " take the request in time (with Retry-After)")
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        checkToken(authorization);
        ExperimentRequested request;
        ExperimentRegistry.Claim claim;
        try {
            request = Requests.submission(body).toEvent();
            admission.admit(request);
            claim = registry.claim(request);
        } catch (MalformedEventException e) {
            metrics.rejected("rest", "malformed", e.field());
            throw e;
        } catch (ExperimentConflictException e) {
            metrics.rejected("rest", "conflict", e.field());
            throw e;
        } catch (InvalidFieldException e) {
            metrics.rejected("rest", "invalid", e.field());
            throw e;
        } catch (DatasetException e) {
            metrics.rejected("rest", "dataset-unavailable", e.field());
            throw e;
        }
        try {
            publisher.publishExperiment(request);
        } catch (BrokerUnavailableException e) {
            if (claim == ExperimentRegistry.Claim.NEW) {
                registry.withdraw(request);
            }
            metrics.rejected("rest", "broker-unavailable", null);
            LOG.warnf("experiment %s not accepted: %s", request.experimentId(), e.getMessage());
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
            new BearerToken(config.triggerToken(), "tlab.dataset.trigger-token").check(authorization);
        } catch (ApiException e) {
            metrics.rejected("rest", "unauthorized", "Authorization");
            throw e;
        }
    }

    private static String stripSlash(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
