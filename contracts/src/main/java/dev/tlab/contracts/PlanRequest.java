package dev.tlab.contracts;

import java.util.List;

/**
 * The body of the trainer's {@code POST /plan} (a dry run: what each strategy would train on a model, without
 * training). The dataset service sends it to check an experiment before any job is published. Every field may be left
 * out: the trainer's default model, the notebook's three strategies, head {@code fc.*}, float32. The precision is
 * checked too: a trainer that cannot compute in it (float16 on a CPU) refuses the plan naming {@code precision}.
 */
public record PlanRequest(
        ModelSpec model, List<StrategySpec> strategies, List<String> headPatterns, Precision precision) {

    public PlanRequest {
        model = Fields.orDefault(model, ModelSpec.trainerDefault());
        strategies = Fields.listOrDefault(strategies, StrategySpec.notebookStrategies(), "strategies");
        if (strategies.stream().map(StrategySpec::name).distinct().count() != strategies.size()) {
            throw new InvalidFieldException("strategies", "strategy names must be unique");
        }
        headPatterns = Fields.patterns(headPatterns, List.of("fc.*"), "headPatterns");
        precision = Fields.orDefault(precision, Precision.DEFAULT);
    }

    /** What an experiment asks the planner to check: its model, strategies, head and precision. */
    public static PlanRequest of(ExperimentRequested request) {
        HyperParameters hp = request.hyperParameters();
        return new PlanRequest(request.model(), request.strategies(), hp.headPatterns(), hp.precision());
    }
}
