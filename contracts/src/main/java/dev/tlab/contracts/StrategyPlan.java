package dev.tlab.contracts;

import java.util.List;

/** One strategy of a {@link PlanRequest}'s answer: what it trains on the model, counted without training. */
public record StrategyPlan(
        String strategy,
        long trainableParameters,
        long totalParameters,
        List<String> headParameterNames,
        int frozenParameterTensors) {}
