package dev.tlab.trainer.engine;

import java.util.List;

/**
 * What a strategy does to a model, computed without training: which parameters stay trainable, which of those form the
 * head (higher learning rate), and the element counts.
 */
public record ParameterPlan(
        String strategy,
        long trainableParameters,
        long totalParameters,
        List<String> trainableNames,
        List<String> headNames,
        List<String> frozenNames) {

    public ParameterPlan {
        trainableNames = List.copyOf(trainableNames);
        headNames = List.copyOf(headNames);
        frozenNames = List.copyOf(frozenNames);
    }
}
