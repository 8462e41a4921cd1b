package dev.tlab.results.comparison;

import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.Map;

/**
 * An experiment's comparison: the REST view ({@code comparison}), the experiment's view with its leaderboard's verdict
 * filled in ({@code experiment}), and what the charts are drawn from: each strategy's pooled confusion matrix and
 * calibration, and the cost (null when no run reported one), in the chart order of the strategies
 * ({@code strategyOrder}).
 */
public record ExperimentComparison(
        Views.Experiment experiment,
        Views.Comparison comparison,
        Map<String, ConfusionMatrix> matrices,
        Map<String, Calibration> calibrations,
        CostComparison cost,
        List<String> strategyOrder) {}
