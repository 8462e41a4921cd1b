package dev.tlab.results.web;

import dev.tlab.results.comparison.CostComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The geometry of accuracy against cost, drawn by {@code templates/ComparisonCharts/cost.svg}: one point per strategy
 * at its mean device-seconds per run (x, from 0) and its mean test accuracy (y, the range of the accuracies with a
 * margin), coloured as in the bar chart; a dashed line from the cheapest strategy to each other one, labelled with the
 * points of accuracy each extra device-hour buys ({@link CostComparison}). The subtitle names the device(s) and the
 * image size, a second line the notebook's full run projected at these speeds.
 */
public record AccuracyCostChart(
        double width,
        double height,
        String title,
        String subtitle,
        String projection,
        double left,
        double top,
        double plotWidth,
        double plotHeight,
        List<Axis.Tick> yTicks,
        List<XTick> xTicks,
        List<Point> points,
        List<Link> links) {
    public static final String TITLE = "Accuracy against cost";

    /** A tick of the cost axis. */
    public record XTick(double x, String label) {}

    /** A strategy: its point, its colour and its label. */
    public record Point(String strategy, double x, double y, String color, String label, String title) {
        public double labelX() {
            return x + 9;
        }

        public double labelY() {
            return y - 8;
        }
    }

    /** From the cheapest strategy to another: what an extra device-hour buys, written at the middle of the line. */
    public record Link(double x1, double y1, double x2, double y2, String label) {
        public double labelX() {
            return (x1 + x2) / 2;
        }

        public double labelY() {
            return (y1 + y2) / 2 - 6;
        }
    }

    public double bottom() {
        return top + plotHeight;
    }

    public double right() {
        return left + plotWidth;
    }

    public double centerX() {
        return left + plotWidth / 2;
    }

    public double middleY() {
        return top + plotHeight / 2;
    }

    /** @param strategyOrder the experiment's strategies in the order of the other charts, for the same colours */
    public static AccuracyCostChart of(CostComparison cost, List<String> strategyOrder) {
        final double width = 800;
        final double height = 460;
        final double left = 80;
        final double top = 80;
        double plotWidth = width - left - 40;
        double plotHeight = height - top - 70;
        List<CostComparison.StrategyCost> strategies = cost.strategies();
        double maxSeconds = 0;
        double minAccuracy = 100;
        double maxAccuracy = 0;
        for (CostComparison.StrategyCost s : strategies) {
            maxSeconds = Math.max(maxSeconds, s.meanDeviceSeconds());
            minAccuracy = Math.min(minAccuracy, s.meanAccuracy() * 100);
            maxAccuracy = Math.max(maxAccuracy, s.meanAccuracy() * 100);
        }
        double xMax = maxSeconds > 0 ? maxSeconds * 1.15 : 1;
        double margin = Math.max(1, (maxAccuracy - minAccuracy) * 0.2);
        double yMin = strategies.isEmpty() ? 0 : Math.max(0, minAccuracy - margin);
        double yMax = strategies.isEmpty() ? 100 : Math.min(100, maxAccuracy + margin);
        List<Double> yValues = Axis.ticks(yMin, yMax, 5);
        yMin = yValues.get(0);
        yMax = Math.max(yMax, yValues.get(yValues.size() - 1));
        double yStep = yValues.size() > 1 ? yValues.get(1) - yValues.get(0) : 1;
        List<Axis.Tick> yTicks = new ArrayList<>();
        for (double v : yValues) {
            yTicks.add(new Axis.Tick(y(v, yMin, yMax, top, plotHeight), Axis.tickLabel(v, yStep) + "%"));
        }
        List<Double> xValues = Axis.ticks(0, xMax, 6);
        double xStep = xValues.size() > 1 ? xValues.get(1) - xValues.get(0) : 1;
        List<XTick> xTicks = new ArrayList<>();
        for (double v : xValues) {
            if (v <= xMax + 1e-9) {
                xTicks.add(new XTick(left + v / xMax * plotWidth, Axis.tickLabel(v, xStep)));
            }
        }
        List<Point> points = new ArrayList<>();
        Point cheapest = null;
        for (int i = 0; i < strategies.size(); i++) {
            CostComparison.StrategyCost s = strategies.get(i);
            int colour = strategyOrder.indexOf(s.strategy());
            double x = left + s.meanDeviceSeconds() / xMax * plotWidth;
            double y = y(s.meanAccuracy() * 100, yMin, yMax, top, plotHeight);
            String accuracy = Formats.fixed(s.meanAccuracy() * 100, 2) + "%";
            String title = s.strategy() + ": " + accuracy + " mean test accuracy, "
                    + Formats.fixed(s.meanDeviceSeconds(), 1) + " device-seconds per run over " + s.runs() + " run"
                    + (s.runs() == 1 ? "" : "s");
            Point point = new Point(
                    s.strategy(), x, y, Axis.color(colour >= 0 ? colour : i), s.strategy() + " " + accuracy, title);
            points.add(point);
            if (s.strategy().equals(cost.cheapest())) {
                cheapest = point;
            }
        }
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            Double perHour = strategies.get(i).pointsPerDeviceHour();
            Point p = points.get(i);
            if (perHour != null && cheapest != null && p != cheapest) {
                links.add(new Link(
                        cheapest.x(),
                        cheapest.y(),
                        p.x(),
                        p.y(),
                        String.format(Locale.ROOT, "%+.2f points per device-hour", perHour)));
            }
        }
        return new AccuracyCostChart(
                width,
                height,
                TITLE,
                subtitle(cost),
                projection(cost),
                left,
                top,
                plotWidth,
                plotHeight,
                yTicks,
                xTicks,
                points,
                links);
    }

    private static double y(double value, double min, double max, double top, double height) {
        return top + height - (value - min) / (max - min) * height;
    }

    private static String subtitle(CostComparison cost) {
        StringBuilder text = new StringBuilder();
        text.append(cost.devices().isEmpty() ? "device unknown" : "on " + String.join(", ", cost.devices()));
        if (!cost.imageSizes().isEmpty()) {
            text.append(" at ")
                    .append(String.join(
                            ", ",
                            cost.imageSizes().stream().map(String::valueOf).toList()))
                    .append(" px");
        }
        return text.toString();
    }

    /** The notebook's full run at these speeds, or null unless freeze, partial and full all ran. */
    private static String projection(CostComparison cost) {
        return cost.notebookRunSeconds() == null
                ? null
                : "the notebook's full run (3 strategies, 10 epochs of 3,000 images, 10,000 test images) would take "
                        + Formats.fixed(cost.notebookRunSeconds() / 3600, 2) + " device-hours here";
    }
}
