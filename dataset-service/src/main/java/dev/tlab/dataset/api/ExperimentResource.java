package dev.tlab.dataset.api;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Requests;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.experiment.ExperimentAdmission;
import dev.tlab.dataset.experiment.ExperimentConflictException;
import dev.tlab.dataset.experiment.ExperimentRegistry;
import dev.tlab.dataset.messaging.BrokerUnavailableException;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.source.DatasetException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/** {@code POST /experiments}: validates a submission and publishes it as ExperimentRequested to {@code experiments}. */
@Path("/experiments")
public class ExperimentResource {
    private static final Logger LOG = Logger.getLogger(ExperimentResource.class);

    /** The 202 answer: the experiment id and where to follow its results. */
    public record Accepted(String experimentId, String watch, String dataset, boolean synthetic) {
    }

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

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an experiment", description = "Body: an ExperimentSubmission (every field optional,"
            + " defaults are the notebook's; unknown fields are refused; bounded by tlab.dataset.limits.*)."
            + " Publishes ExperimentRequested to the experiments topic.")
    @RequestBody(description = "ExperimentSubmission JSON")
    @APIResponse(responseCode = "202", description = "published; follow the watch URL")
    @APIResponse(responseCode = "400", description = "{field, reason} naming the bad field (also: over a limit, a"
            + " model or pattern the trainer's planner refuses)")
    @APIResponse(responseCode = "401", description = "the trigger token is set and the bearer token is missing or wrong")
    @APIResponse(responseCode = "409", description = "the experimentId was already used for a different request")
    @APIResponse(responseCode = "413", description = "the body is larger than quarkus.http.limits.max-body-size")
    @APIResponse(responseCode = "503", description = "the dataset source cannot be had or is damaged, or Kafka did not"
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
        LOG.infof("experiment %s accepted (%s%s, %d strategies, %d seeds)", id, request.dataset().name(),
                request.dataset().synthetic() ? ", SYNTHETIC" : "", request.strategies().size(), request.seeds().size());
        String watch = stripSlash(config.resultsUrl()) + "/experiments/" + id;
        return Response.accepted(new Accepted(id, watch, request.dataset().name(), request.dataset().synthetic()))
                .type(MediaType.APPLICATION_JSON).build();
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
