package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the notebook's bar chart of test accuracy per strategy, drawn by {@code templates/Pages/bar.svg}: one
 * bar per strategy with a result (mean over seeds), its value above it ({@code 83.12%}), the 95% interval as an error
 * bar when several seeds finished; the y axis runs to 1.15 times the best value, as in the notebook.
 */
public record BarChart(
        double width,
        double height,
        double left,
        double top,
        double plotWidth,
        double plotHeight,
        String title,
        String yLabel,
        String syntheticDataset,
        List<Axis.Tick> ticks,
        List<Bar> bars) {
    public static final String TITLE = "Transfer Learning Strategy Comparison";
    public static final String Y_LABEL = "Test Accuracy (%)";

    /** A bar: {@code errorBar} is null unless two or more seeds finished. */
    public record Bar(
            String strategy,
            String value,
            double x,
            double y,
            double width,
            double height,
            String color,
            ErrorBar errorBar,
            double labelY,
            double captionY,
            int completedSeeds) {
        public double center() {
            return x + width / 2;
        }

        public double seedsY() {
            return captionY + 18;
        }
    }

    /** The 95% interval of a bar, from {@code yLow} to {@code yHigh}, centred on {@code x}. */
    public record ErrorBar(double x, double yLow, double yHigh) {
        public double capLeft() {
            return x - 8;
        }

        public double capRight() {
            return x + 8;
        }
    }

    public double bottom() {
        return top + plotHeight;
    }

    public double right() {
        return left + plotWidth;
    }

    public double centerX() {
        return width / 2;
    }

    public double plotCenterX() {
        return left + plotWidth / 2;
    }

    /** The middle of the plot's height: the rotated y label and the "nothing yet" note sit there. */
    public double yLabelY() {
        return top + plotHeight / 2;
    }

    public double tickLabelX() {
        return left - 8;
    }

    public static BarChart of(Views.Experiment experiment) {
        final double width = 800;
        final double height = 480;
        final double left = 80;
        final double top = 70;
        double plotWidth = width - left - 30;
        double plotHeight = height - top - 80;
        double bottom = top + plotHeight;
        List<Views.Strategy> strategies = experiment.strategies();
        List<Integer> withResult = new ArrayList<>();
        double maxValue = 0;
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            if (s.testAccuracy() != null) {
                withResult.add(i);
                maxValue = Math.max(maxValue, s.testAccuracy() * 100);
                if (s.ci95High() != null) {
                    maxValue = Math.max(maxValue, Math.min(100, s.ci95High() * 100));
                }
            }
        }
        double yMax = maxValue > 0 ? maxValue * 1.15 : 100;
        double slot = plotWidth / Math.max(1, withResult.size());
        double barWidth = Math.min(160, slot * 0.6);
        List<Bar> bars = new ArrayList<>();
        for (int k = 0; k < withResult.size(); k++) {
            int index = withResult.get(k);
            Views.Strategy s = strategies.get(index);
            double value = s.testAccuracy() * 100;
            double x = left + slot * k + (slot - barWidth) / 2;
            double barHeight = value / yMax * plotHeight;
            double y = bottom - barHeight;
            ErrorBar errorBar = null;
            double labelTop = y;
            if (s.ci95Low() != null && s.ci95High() != null) {
                double yLow = bottom - Math.max(0, s.ci95Low() * 100) / yMax * plotHeight;
                double yHigh = bottom - Math.min(100, s.ci95High() * 100) / yMax * plotHeight;
                errorBar = new ErrorBar(x + barWidth / 2, yLow, yHigh);
                labelTop = Math.min(labelTop, yHigh);
            }
            bars.add(new Bar(
                    s.strategy(),
                    Formats.fixed(value, 2),
                    x,
                    y,
                    barWidth,
                    barHeight,
                    Axis.color(index),
                    errorBar,
                    labelTop - 6,
                    bottom + 20,
                    s.completedSeeds()));
        }
        return new BarChart(
                width,
                height,
                left,
                top,
                plotWidth,
                plotHeight,
                TITLE,
                Y_LABEL,
                experiment.synthetic() ? experiment.dataset() : null,
                Axis.vertical(yMax, 6, bottom, plotHeight),
                bars);
    }
}
