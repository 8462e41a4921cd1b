package dev.tlab.trainer.api;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.ParameterPlan;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.job.JobTranslator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Dry run: trainable and total parameters per strategy for a model, without training. */
@Path("/plan")
public class PlanResource {
    private final TrainingEngine engine;
    private final JobTranslator translator;

    public PlanResource(TrainingEngine engine, JobTranslator translator) {
        this.engine = engine;
        this.translator = translator;
    }

    /** Every field may be left out: the trainer's default model, the notebook's three strategies. */
    public record PlanRequest(ModelSpec model, List<StrategySpec> strategies, List<String> headPatterns) {
    }

    public record StrategyPlan(String strategy, long trainableParameters, long totalParameters,
            List<String> headParameterNames, int frozenParameterTensors) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trainable and total parameters per strategy, without training")
    public List<StrategyPlan> plan(PlanRequest request) {
        PlanRequest r = request == null ? new PlanRequest(null, null, null) : request;
        List<StrategySpec> strategies = r.strategies() == null || r.strategies().isEmpty()
                ? StrategySpec.notebookStrategies() : r.strategies();
        HyperParameters hp = new HyperParameters(null, null, null, null, null, null, null, null, null, null,
                r.headPatterns());
        return engine.plan(translator.model(r.model()), strategies.stream().map(JobTranslator::strategy).toList(),
                        JobTranslator.hyperparameters(hp)).stream()
                .map(PlanResource::view).toList();
    }

    private static StrategyPlan view(ParameterPlan p) {
        return new StrategyPlan(p.strategy(), p.trainableParameters(), p.totalParameters(), p.headNames(),
                p.frozenNames().size());
    }
}
