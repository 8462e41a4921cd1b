package dev.tlab.results.web;

import dev.tlab.results.comparison.Calibration;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a strategy's reliability diagram, drawn by {@code templates/ComparisonCharts/reliability.svg}: the
 * fifteen confidence bins along x, each bin's accuracy as a bar and the gap to its mean confidence as a red band on top
 * (above the bar: over-confident; inside it: under-confident), the diagonal of perfect calibration, and below the plot
 * how many predictions each bin holds (relative to the fullest bin). The title carries the expected calibration error;
 * predictions made with confidence exactly 1.0 (their own slot) are named under the plot.
 */
public record ReliabilityDiagram(
        double width,
        double height,
        String title,
        double left,
        double top,
        double side,
        double histogramTop,
        double histogramHeight,
        List<Tick> ticks,
        List<Bar> bars,
        String certainNote,
        boolean empty) {

    /**
     * A tick of both axes: the same value at {@code x} on the confidence axis and at {@code y} on the accuracy axis.
     */
    public record Tick(double x, double y, String label) {}

    /**
     * One non-empty bin: the accuracy bar from {@code barY} down to the axis, the gap band between accuracy and mean
     * confidence from {@code gapY} over {@code gapHeight}, and the bin's share of predictions as a bar of the
     * histogram.
     */
    public record Bar(
            double x,
            double width,
            double barY,
            double barHeight,
            double gapY,
            double gapHeight,
            boolean overConfident,
            double countY,
            double countHeight,
            long count,
            String title) {}

    public double bottom() {
        return top + side;
    }

    public double right() {
        return left + side;
    }

    public double centerX() {
        return left + side / 2;
    }

    public double middleY() {
        return top + side / 2;
    }

    public double histogramBottom() {
        return histogramTop + histogramHeight;
    }

    public double noteY() {
        return histogramBottom() + 36;
    }

    public static ReliabilityDiagram of(String strategy, Calibration calibration) {
        final double left = 70;
        final double top = 60;
        final double side = 360;
        final double histogramHeight = 50;
        double histogramTop = top + side + 34;
        double width = left + side + 90;
        double height = histogramTop + histogramHeight + 50;
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 5; i++) {
            double value = i / 5.0;
            ticks.add(new Tick(left + value * side, top + side - value * side, Formats.fixed(value * 100, 0) + "%"));
        }
        long total = calibration.predictions();
        long fullest = 0;
        for (Calibration.Bin bin : calibration.bins()) {
            fullest = Math.max(fullest, bin.count());
        }
        List<Bar> bars = new ArrayList<>();
        for (Calibration.Bin bin : calibration.bins()) {
            if (bin.count() == 0) {
                continue;
            }
            double x = left + bin.lower() * side;
            double w = (bin.upper() - bin.lower()) * side;
            double accuracyY = top + side - bin.accuracy() * side;
            double confidenceY = top + side - bin.meanConfidence() * side;
            double share = (double) bin.count() / fullest; // the fullest bin fills the strip
            String title =
                    "confidence " + Formats.fixed(bin.lower() * 100, 1) + "\u2013" + Formats.fixed(bin.upper() * 100, 1)
                            + "%: " + bin.count() + " predictions, accuracy " + Formats.fixed(bin.accuracy() * 100, 1)
                            + "%, mean confidence " + Formats.fixed(bin.meanConfidence() * 100, 1) + "%";
            bars.add(new Bar(
                    x,
                    w,
                    accuracyY,
                    top + side - accuracyY,
                    Math.min(accuracyY, confidenceY),
                    Math.abs(accuracyY - confidenceY),
                    bin.meanConfidence() > bin.accuracy(),
                    histogramTop + histogramHeight - share * histogramHeight,
                    share * histogramHeight,
                    bin.count(),
                    title));
        }
        Calibration.Bin certain = calibration.certain();
        String certainNote = certain.count() == 0
                ? null
                : certain.count() + " of " + total + " predictions at confidence 1.0 (not drawn): accuracy "
                        + Formats.fixed(certain.accuracy() * 100, 1) + "%";
        String ece = calibration.expectedCalibrationError() == null
                ? ""
                : ", ECE " + Formats.fixed(calibration.expectedCalibrationError() * 100, 2) + "%";
        return new ReliabilityDiagram(
                width,
                height,
                "Reliability: " + strategy + ece,
                left,
                top,
                side,
                histogramTop,
                histogramHeight,
                ticks,
                bars,
                certainNote,
                total == 0);
    }
}
