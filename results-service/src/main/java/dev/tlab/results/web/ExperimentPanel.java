package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import dev.tlab.results.comparison.ExperimentComparison;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code templates/Pages/panel.html} draws: the part of the experiment page that changes while training runs
 * (banners, leaderboard, both charts, the comparison, the jobs table). The page embeds it once; the live stream pushes
 * it again on every change.
 */
public record ExperimentPanel(
        Views.Experiment experiment, BarChart bar, CurvesChart curves, List<JobRow> jobs, ComparisonPanel comparison) {

    /** One job of the jobs table, with its latest epoch ({@code last} is null before the first epoch). */
    public record JobRow(String strategy, Views.Run run, Views.Epoch last) {
        public double progressPercent() {
            return run.progress() == null ? 0 : run.progress() * 100;
        }

        public int lastEpochNumber() {
            return last == null ? 0 : last.epoch();
        }
    }

    /** The panel with the comparison: the leaderboard's verdict, the per-class results, calibration and cost. */
    public static ExperimentPanel of(ExperimentComparison comparison) {
        ExperimentPanel panel = of(comparison.experiment());
        return new ExperimentPanel(
                panel.experiment(), panel.bar(), panel.curves(), panel.jobs(), ComparisonPanel.of(comparison));
    }

    /** The panel without a comparison (the notebook's parts only). */
    public static ExperimentPanel of(Views.Experiment experiment) {
        List<JobRow> jobs = new ArrayList<>();
        for (Views.Strategy strategy : experiment.strategies()) {
            for (Views.Run run : strategy.runs()) {
                List<Views.Epoch> epochs = run.epochs();
                jobs.add(new JobRow(strategy.strategy(), run, epochs.isEmpty() ? null : epochs.get(epochs.size() - 1)));
            }
        }
        return new ExperimentPanel(experiment, BarChart.of(experiment), CurvesChart.of(experiment), jobs, null);
    }
}
