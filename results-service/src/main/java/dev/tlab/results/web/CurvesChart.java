package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the per-epoch curves drawn by {@code templates/Pages/curves.svg}: two panels, loss and train accuracy
 * (%) per epoch, one line per job coloured by strategy (dashed for a strategy's second and later seeds). Jobs with
 * epoch selection add their validation loss and accuracy (dotted lines, hollow points) and a ring on the epoch each was
 * tested on; {@code keys} then explain those marks, and is empty (nothing drawn) otherwise.
 */
public record CurvesChart(double width, double height, List<LegendEntry> legend, List<Key> keys, List<Panel> panels) {

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
            List<Line> lines,
            List<Marker> markers) {
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

    /**
     * One entry of the second legend row, which explains the marks of epoch selection: {@code kind} is {@code train} (a
     * solid line), {@code validation} (dotted, a hollow point) or {@code selected} (a ring).
     */
    public record Key(double x, String kind, String text) {
        public double sampleEndX() {
            return x + 24;
        }

        public double sampleMiddleX() {
            return x + 12;
        }

        public double textX() {
            return x + 30;
        }
    }

    /** The row of {@link Key}s: below the strategies, above the panels' titles. */
    public static final double KEYS_Y = 36;

    public double keysY() {
        return KEYS_Y;
    }

    public double keysTextY() {
        return KEYS_Y + 4;
    }

    public record EpochTick(double x, int epoch) {}

    /** A job's training curve, or with {@code validation} its validation curve. */
    public record Line(
            String strategy,
            long seed,
            String points,
            String color,
            boolean dashed,
            List<Dot> dots,
            boolean validation) {}

    /** The ring on the point of the epoch a job was tested on, with its reason when hovered. */
    public record Marker(double x, double y, String color, String title) {}

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
        boolean validated = false;
        boolean selected = false;
        for (Views.Strategy s : strategies) {
            for (Views.Run run : s.runs()) {
                if (run.epochsPlanned() != null) {
                    maxEpoch = Math.max(maxEpoch, run.epochsPlanned());
                }
                for (Views.Epoch e : run.epochs()) {
                    maxEpoch = Math.max(maxEpoch, e.epoch());
                    maxLoss = Math.max(maxLoss, e.loss());
                    if (e.valLoss() != null) {
                        validated = true;
                        maxLoss = Math.max(maxLoss, e.valLoss());
                    }
                }
                selected |= run.selection() != null;
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
        List<Key> keys = new ArrayList<>();
        if (validated || selected) {
            double keyX = 80;
            List<String[]> entries = new ArrayList<>();
            entries.add(new String[] {"train", "training"});
            if (validated) {
                entries.add(new String[] {"validation", "validation"});
            }
            if (selected) {
                entries.add(new String[] {"selected", "epoch tested (best on validation)"});
            }
            for (String[] entry : entries) {
                keys.add(new Key(keyX, entry[0], entry[1]));
                keyX += 50 + 7 * entry[1].length();
            }
        }
        return new CurvesChart(
                width,
                height,
                legend,
                keys,
                List.of(
                        panel(
                                validated ? "Train and validation loss per epoch" : "Loss per epoch",
                                70,
                                top,
                                panelWidth,
                                plotHeight,
                                maxEpoch,
                                lossMax,
                                strategies,
                                false),
                        panel(
                                validated
                                        ? "Train and validation accuracy (%) per epoch"
                                        : "Train accuracy (%) per epoch",
                                70 + panelWidth + 70,
                                top,
                                panelWidth,
                                plotHeight,
                                maxEpoch,
                                100,
                                strategies,
                                true)));
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
        List<Marker> markers = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            for (int r = 0; r < s.runs().size(); r++) {
                Views.Run run = s.runs().get(r);
                if (run.epochs().isEmpty()) {
                    continue;
                }
                Series train = new Series();
                Series validation = new Series();
                for (Views.Epoch e : run.epochs()) {
                    double x = maxEpoch > 1 ? left + (e.epoch() - 1) * xStep : left + w / 2;
                    String at = s.strategy() + " seed " + run.seed() + ", epoch " + e.epoch();
                    train.add(x, accuracy ? e.trainAccuracy() * 100 : e.loss(), at, accuracy, top, h, yMax);
                    if (e.valAccuracy() != null) {
                        validation.add(
                                x,
                                accuracy ? e.valAccuracy() * 100 : e.valLoss(),
                                at + ", validation",
                                accuracy,
                                top,
                                h,
                                yMax);
                    }
                    if (run.selection() != null && run.selection().epoch() == e.epoch()) {
                        Dot tested = (e.valAccuracy() != null ? validation : train).last();
                        markers.add(new Marker(
                                tested.x(),
                                tested.y(),
                                Axis.color(i),
                                s.strategy() + " seed " + run.seed() + ": " + Formats.testedOn(run.selection()) + ": "
                                        + run.selection().reason()));
                    }
                }
                lines.add(train.line(s.strategy(), run.seed(), Axis.color(i), r > 0, false));
                if (!validation.dots.isEmpty()) {
                    lines.add(validation.line(s.strategy(), run.seed(), Axis.color(i), r > 0, true));
                }
            }
        }
        return new Panel(title, left, top, w, h, Axis.vertical(yMax, 5, top + h, h), epochs, lines, markers);
    }

    /** The points of one curve while they are collected. */
    private static final class Series {
        final List<String> points = new ArrayList<>();
        final List<Dot> dots = new ArrayList<>();

        void add(double x, double value, String at, boolean accuracy, double top, double h, double yMax) {
            double y = top + h - Math.min(value, yMax) / yMax * h;
            points.add(Formats.n(x) + "," + Formats.n(y));
            dots.add(new Dot(x, y, at + ": " + (accuracy ? Formats.fixed(value, 2) + "%" : Formats.fixed(value, 4))));
        }

        Dot last() {
            return dots.get(dots.size() - 1);
        }

        Line line(String strategy, long seed, String color, boolean dashed, boolean validation) {
            return new Line(strategy, seed, String.join(" ", points), color, dashed, dots, validation);
        }
    }
}
