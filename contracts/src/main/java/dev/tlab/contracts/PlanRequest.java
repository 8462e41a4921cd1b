package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of the trainer's {@code POST /plan} (a dry run: what each strategy would train on a model, without
 * training). The dataset service sends it to check an experiment before any job is published. Every field may be left
 * out: the trainer's default model, the notebook's three strategies, head {@code fc.*}, float32, and the model's own
 * classifier. The precision is checked too: a trainer that cannot compute in it (float16 on a CPU) refuses the plan
 * naming {@code precision}. {@code numClasses} is the dataset's class count: the counts are those of the model with an
 * {@code fc} of that many outputs (freeze on ResNet-18: 9,536 + 513 N), and a model whose classifier cannot be made
 * that size is refused naming {@code numClasses}.
 */
public record PlanRequest(
        ModelSpec model,
        List<StrategySpec> strategies,
        List<String> headPatterns,
        Precision precision,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer numClasses) {
    /** Classes a head may have: at least two, and a bound far above any dataset's class limit. */
    public static final int MAX_CLASSES = 100_000;

    public PlanRequest {
        model = Fields.orDefault(model, ModelSpec.trainerDefault());
        strategies = Fields.listOrDefault(strategies, StrategySpec.notebookStrategies(), "strategies");
        if (strategies.stream().map(StrategySpec::name).distinct().count() != strategies.size()) {
            throw new InvalidFieldException("strategies", "strategy names must be unique");
        }
        headPatterns = Fields.patterns(headPatterns, List.of("fc.*"), "headPatterns");
        precision = Fields.orDefault(precision, Precision.DEFAULT);
        if (numClasses != null) {
            Fields.intInRange(numClasses, 2, MAX_CLASSES, "numClasses");
        }
    }

    public PlanRequest(ModelSpec model, List<StrategySpec> strategies, List<String> headPatterns, Precision precision) {
        this(model, strategies, headPatterns, precision, null);
    }

    /** What an experiment asks the planner to check: its model, strategies, head and precision. */
    public static PlanRequest of(ExperimentRequested request) {
        return of(request, null);
    }

    /** The same, for a dataset of {@code numClasses} classes (null: the model's own classifier, as for CIFAR-10). */
    public static PlanRequest of(ExperimentRequested request, Integer numClasses) {
        HyperParameters hp = request.hyperParameters();
        return new PlanRequest(request.model(), request.strategies(), hp.headPatterns(), hp.precision(), numClasses);
    }
}
