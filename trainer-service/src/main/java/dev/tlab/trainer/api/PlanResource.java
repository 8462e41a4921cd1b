package dev.tlab.trainer.api;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.contracts.Requests;
import dev.tlab.contracts.StrategyPlan;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.rest.BearerToken;
import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.engine.ParameterPlan;
import dev.tlab.trainer.engine.TrainingEngine;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Dry run: trainable and total parameters per strategy for a model, without training. The dataset service asks it to
 * check an experiment before publishing its jobs, so every bad input is a 400 naming the field.
 *
 * <p>It loads the model the request names, so it is guarded like one: a bearer token ({@code tlab.trainer.plan-token};
 * without one configured the endpoint is closed, never open), the bounds of a request ({@code tlab.trainer.limits.*})
 * before any model is touched, and models only from where the trainer allows ({@code tlab.trainer.model-roots},
 * {@code tlab.trainer.model-hosts}).
 */
@Path("/plan")
public class PlanResource {
    static final String TOKEN_KEY = "tlab.trainer.plan-token";

    private final TrainingEngine engine;
    private final BearerToken token;
    private final RequestLimits limits;

    public PlanResource(TrainingEngine engine, TrainerConfig config, RequestLimits limits) {
        this.engine = engine;
        this.token = BearerToken.closedWhenUnset(config.planToken(), TOKEN_KEY);
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trainable and total parameters per strategy, without training")
    @RequestBody(
            description = "PlanRequest JSON object: model, strategies, headPatterns, precision; every field optional"
                    + " ({} is the trainer's default model, the notebook's strategies, fc.*, fp32); unknown fields are"
                    + " refused")
    @APIResponse(responseCode = "200", description = "one StrategyPlan per strategy")
    @APIResponse(
            responseCode = "400",
            description = "{field, reason}: malformed or empty request, over a bound (tlab.trainer.limits.*), a model"
                    + " outside the allowed folders and hosts, one that cannot be had or loaded as TorchScript, a wrong"
                    + " sha256, a pattern that matches no parameter, a precision this trainer's device cannot train in"
                    + " (fp16 on a CPU)")
    @APIResponse(responseCode = "401", description = "no bearer token, or not tlab.trainer.plan-token")
    @APIResponse(responseCode = "413", description = "the body is larger than quarkus.http.limits.max-body-size")
    @APIResponse(responseCode = "503", description = "tlab.trainer.plan-token is not set: the endpoint is closed")
    public List<StrategyPlan> plan(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        token.check(authorization);
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest(
                    "body", "a JSON object is required ({} plans the notebook's strategies on the default model)");
        }
        PlanRequest request = Requests.read(body, PlanRequest.class);
        limits.check(request);
        HyperParameters hp = HyperParameters.builder()
                .headPatterns(request.headPatterns())
                .precision(request.precision())
                .build();
        return engine.plan(engine.model(request.model()), request.strategies(), hp).stream()
                .map(PlanResource::view)
                .toList();
    }

    private static StrategyPlan view(ParameterPlan p) {
        return new StrategyPlan(
                p.strategy(),
                p.trainableParameters(),
                p.totalParameters(),
                p.headNames(),
                p.frozenNames().size());
    }
}
