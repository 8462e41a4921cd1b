package dev.tlab.trainer.api;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.PlanRequest;
import dev.tlab.contracts.Requests;
import dev.tlab.contracts.StrategyPlan;
import dev.tlab.trainer.engine.ParameterPlan;
import dev.tlab.trainer.engine.TrainingEngine;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Dry run: trainable and total parameters per strategy for a model, without training. The dataset service asks it to
 * check an experiment before publishing its jobs, so every bad input is a 400 naming the field.
 */
@Path("/plan")
public class PlanResource {
    private final TrainingEngine engine;

    public PlanResource(TrainingEngine engine) {
        this.engine = engine;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trainable and total parameters per strategy, without training")
    @RequestBody(
            description = "PlanRequest JSON: model, strategies, headPatterns, precision; every field optional (the"
                    + " trainer's default model, the notebook's strategies, fc.*, fp32); unknown fields are refused")
    @APIResponse(responseCode = "200", description = "one StrategyPlan per strategy")
    @APIResponse(
            responseCode = "400",
            description = "{field, reason}: malformed request, a model that cannot be had"
                    + " or loaded as TorchScript, a wrong sha256, a pattern that matches no parameter, a precision this trainer's"
                    + " device cannot train in (fp16 on a CPU)")
    @APIResponse(responseCode = "413", description = "the body is larger than quarkus.http.limits.max-body-size")
    public List<StrategyPlan> plan(String body) {
        PlanRequest request = body == null || body.isBlank()
                ? new PlanRequest(null, null, null, null)
                : Requests.read(body, PlanRequest.class);
        HyperParameters hp = new HyperParameters(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                request.headPatterns(),
                request.precision());
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
