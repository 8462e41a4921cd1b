package dev.tlab.trainer.engine;

import dev.tlab.contracts.NamePatterns;
import dev.tlab.contracts.StrategySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link StrategySpec} to a model's parameter names and sizes. Pure: the same code decides the dry-run counts
 * and the real freezing, so the two cannot disagree.
 */
public final class StrategyPlanner {

    /** The head gets the higher learning rate; matches the notebook's {@code model.fc}. */
    public static final List<String> DEFAULT_HEAD = List.of("fc.*");

    private final List<String> head;

    /** @param head glob patterns of the parameters trained with the head's learning rate */
    public StrategyPlanner(List<String> head) {
        this.head = List.copyOf(head);
    }

    public StrategyPlanner() {
        this(DEFAULT_HEAD);
    }

    public boolean isHead(String parameterName) {
        return NamePatterns.matchesAny(head, parameterName);
    }

    /** @param parameterSizes parameter name to element count, in model order */
    public ParameterPlan plan(StrategySpec strategy, Map<String, Long> parameterSizes) {
        long trainable = 0;
        long total = 0;
        List<String> trainableNames = new ArrayList<>();
        List<String> headNames = new ArrayList<>();
        List<String> frozenNames = new ArrayList<>();
        for (Map.Entry<String, Long> p : parameterSizes.entrySet()) {
            total += p.getValue();
            if (strategy.isTrainable(p.getKey())) {
                trainable += p.getValue();
                trainableNames.add(p.getKey());
                if (isHead(p.getKey())) {
                    headNames.add(p.getKey());
                }
            } else {
                frozenNames.add(p.getKey());
            }
        }
        return new ParameterPlan(strategy.name(), trainable, total, trainableNames, headNames, frozenNames);
    }
}
