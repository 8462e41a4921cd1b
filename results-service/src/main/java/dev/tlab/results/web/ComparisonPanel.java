package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import dev.tlab.results.comparison.Calibration;
import dev.tlab.results.comparison.ConfusionMatrix;
import dev.tlab.results.comparison.ExperimentComparison;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code templates/Pages/comparison.html} draws: the comparison's tables (the verdict, each strategy's per-class
 * report and calibration, the classes that differ most, the paired tests, the cost) and its charts (a confusion heat
 * map and a reliability diagram per evaluated strategy, accuracy against cost).
 */
public record ComparisonPanel(
        Views.Comparison view, List<StrategyCharts> strategies, List<ClassRow> perClass, AccuracyCostChart cost) {

    /** One strategy's evaluation and its charts (null where it has no matrix or no calibration). */
    public record StrategyCharts(
            Views.StrategyEvaluation evaluation, ConfusionHeatmap heatmap, ReliabilityDiagram reliability) {}

    /** A class of the per-class table: its metrics under each evaluated strategy, in the strategies' order. */
    public record ClassRow(String className, long support, List<Views.ClassMetrics> byStrategy) {}

    public static ComparisonPanel of(ExperimentComparison comparison) {
        List<StrategyCharts> strategies = new ArrayList<>();
        for (Views.StrategyEvaluation evaluation : comparison.comparison().strategies()) {
            ConfusionMatrix matrix = comparison.matrices().get(evaluation.strategy());
            Calibration calibration = comparison.calibrations().get(evaluation.strategy());
            strategies.add(new StrategyCharts(
                    evaluation,
                    matrix == null ? null : ConfusionHeatmap.of(evaluation.strategy(), matrix),
                    calibration == null ? null : ReliabilityDiagram.of(evaluation.strategy(), calibration)));
        }
        return new ComparisonPanel(
                comparison.comparison(),
                strategies,
                perClass(comparison.comparison()),
                comparison.cost() == null ? null : AccuracyCostChart.of(comparison.cost(), comparison.strategyOrder()));
    }

    /** The strategies that have a per-class report, in order: the per-class table's column groups. */
    public List<Views.StrategyEvaluation> evaluated() {
        return view.strategies().stream().filter(s -> !s.perClass().isEmpty()).toList();
    }

    public boolean hasEvaluations() {
        return !evaluated().isEmpty();
    }

    private static List<ClassRow> perClass(Views.Comparison view) {
        List<Views.StrategyEvaluation> evaluated =
                view.strategies().stream().filter(s -> !s.perClass().isEmpty()).toList();
        List<ClassRow> rows = new ArrayList<>();
        if (view.classes() == null || evaluated.isEmpty()) {
            return rows;
        }
        for (int c = 0; c < view.classes().size(); c++) {
            List<Views.ClassMetrics> metrics = new ArrayList<>();
            for (Views.StrategyEvaluation s : evaluated) {
                metrics.add(s.perClass().get(c));
            }
            rows.add(new ClassRow(view.classes().get(c), metrics.get(0).support(), metrics));
        }
        return rows;
    }
}
