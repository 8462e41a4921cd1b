package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the per-epoch curves drawn by {@code templates/Pages/curves.svg}: two panels, loss and train accuracy
 * (%) per epoch, one line per job coloured by strategy (dashed for a strategy's second and later seeds).
 */
public record CurvesChart(double width, double height, List<LegendEntry> legend, List<Panel> panels) {

    public record LegendEntry(double x, String color, String text) {
        public double textX() {
            return x + 20;
        }
    }

    public record Panel(
            String title,
            double left,
            double top,
            double width,
            double height,
            List<Axis.Tick> ticks,
            List<EpochTick> epochs,
            List<Line> lines) {
        public double center() {
            return left + width / 2;
        }

        public double right() {
            return left + width;
        }

        public double titleY() {
            return top - 14;
        }

        public double tickLabelX() {
            return left - 6;
        }

        public double epochLabelY() {
            return top + height + 16;
        }

        public double axisTitleY() {
            return top + height + 34;
        }
    }

    public record EpochTick(double x, int epoch) {}

    public record Line(String strategy, long seed, String points, String color, boolean dashed, List<Dot> dots) {}

    /** One epoch's point, with the value it shows when hovered. */
    public record Dot(double x, double y, String title) {}

    public static CurvesChart of(Views.Experiment experiment) {
        final double width = 1000;
        final double height = 400;
        final double panelWidth = 420; // two panels with their 70 px axis margins fit in the 1000 px width
        final double top = 70;
        double plotHeight = height - top - 50;
        List<Views.Strategy> strategies = experiment.strategies();
        int maxEpoch = 1;
        double maxLoss = 0;
        for (Views.Strategy s : strategies) {
            for (Views.Run run : s.runs()) {
                if (run.epochsPlanned() != null) {
                    maxEpoch = Math.max(maxEpoch, run.epochsPlanned());
                }
                for (Views.Epoch e : run.epochs()) {
                    maxEpoch = Math.max(maxEpoch, e.epoch());
                    maxLoss = Math.max(maxLoss, e.loss());
                }
            }
        }
        double lossMax = maxLoss > 0 ? maxLoss * 1.1 : 1;
        List<LegendEntry> legend = new ArrayList<>();
        double legendX = 80;
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            legend.add(new LegendEntry(legendX, Axis.color(i), s.strategy() + " (" + s.state() + ")"));
            legendX += 40 + 9 * (s.strategy().length() + s.state().length());
        }
        return new CurvesChart(
                width,
                height,
                legend,
                List.of(
                        panel("Loss per epoch", 70, top, panelWidth, plotHeight, maxEpoch, lossMax, strategies, false),
                        panel(
                                "Train accuracy (%) per epoch",
                                70 + panelWidth + 70, top, panelWidth, plotHeight, maxEpoch, 100, strategies, true)));
    }

    private static Panel panel(
            String title,
            double left,
            double top,
            double w,
            double h,
            int maxEpoch,
            double yMax,
            List<Views.Strategy> strategies,
            boolean accuracy) {
        double xStep = maxEpoch > 1 ? w / (maxEpoch - 1) : 0;
        List<EpochTick> epochs = new ArrayList<>();
        int every = Math.max(1, (int) Math.ceil(maxEpoch / 10.0));
        for (int epoch = 1; epoch <= maxEpoch; epoch += every) {
            epochs.add(new EpochTick(maxEpoch > 1 ? left + (epoch - 1) * xStep : left + w / 2, epoch));
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            for (int r = 0; r < s.runs().size(); r++) {
                Views.Run run = s.runs().get(r);
                if (run.epochs().isEmpty()) {
                    continue;
                }
                List<String> points = new ArrayList<>();
                List<Dot> dots = new ArrayList<>();
                for (Views.Epoch e : run.epochs()) {
                    double value = accuracy ? e.trainAccuracy() * 100 : e.loss();
                    double x = maxEpoch > 1 ? left + (e.epoch() - 1) * xStep : left + w / 2;
                    double y = top + h - Math.min(value, yMax) / yMax * h;
                    points.add(Formats.n(x) + "," + Formats.n(y));
                    dots.add(new Dot(
                            x,
                            y,
                            s.strategy() + " seed " + run.seed() + ", epoch " + e.epoch() + ": "
                                    + (accuracy ? Formats.fixed(value, 2) + "%" : Formats.fixed(value, 4))));
                }
                lines.add(new Line(s.strategy(), run.seed(), String.join(" ", points), Axis.color(i), r > 0, dots));
            }
        }
        return new Panel(title, left, top, w, h, Axis.vertical(yMax, 5, top + h, h), epochs, lines);
    }
}
