package dev.tlab.results.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.results.comparison.Calibration;
import dev.tlab.results.comparison.ConfusionMatrix;
import dev.tlab.results.comparison.CostComparison;
import dev.tlab.results.comparison.CostComparison.RunCost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The charts' geometry, computed by hand; the rendered SVG is checked in {@link ComparisonChartsTest}. */
class ComparisonChartGeometryTest {

    static ConfusionMatrix matrix(int classes) {
        List<String> names = new ArrayList<>();
        long[][] counts = new long[classes][classes];
        for (int t = 0; t < classes; t++) {
            names.add("class-" + t);
            counts[t][t] = 8;
            counts[t][(t + 1) % classes] = 2;
        }
        return ConfusionMatrix.of(names, counts);
    }

    /** Rows [3, 1] and [0, 4]: shares 0.75, 0.25, 0, 1; the 60 px cells hold their counts. */
    @Test
    void heatmapCellsAreShadedByTheirShareOfTheRow() {
        ConfusionHeatmap h =
                ConfusionHeatmap.of("full", ConfusionMatrix.of(List.of("cat", "dog"), new long[][] {{3, 1}, {0, 4}}));
        assertEquals(60, h.cell());
        assertEquals(120, h.grid());
        assertEquals(4, h.cells().size());
        double[] opacities = {0.75, 0.25, 0, 1};
        String[] colours = {"#ffffff", "#000000", "#000000", "#ffffff"};
        for (int i = 0; i < 4; i++) {
            ConfusionHeatmap.Cell c = h.cells().get(i);
            assertEquals(opacities[i], c.opacity(), 1e-12);
            assertEquals(colours[i], c.textColor(), "dark cells get white text");
            assertTrue(c.showCount());
            assertEquals(h.left() + c.predictedClass() * 60, c.x(), 1e-9);
            assertEquals(h.top() + c.trueClass() * 60, c.y(), 1e-9);
        }
        assertEquals(
                "true cat, predicted dog: 1 (25.0% of the row)",
                h.cells().get(1).title());
        assertEquals("Confusion matrix: full", h.title());
        assertEquals(
                List.of("cat", "dog"),
                h.trueLabels().stream().map(ConfusionHeatmap.Label::text).toList());
        assertEquals(5, h.legend().size());
        // left = 40 + 3 characters x 12 px x 0.62 + 8 = 70.32, top 60: one inner line each way
        assertEquals(70.32, h.left(), 1e-9);
        assertEquals("M70.3 120.0H190.3M130.3 60.0V180.0", h.gridPath());
    }

    /** Numbered classes keep their numbers: the cut is in the middle. */
    @Test
    void shortenedNamesStayDistinct() {
        assertEquals("class-with-\u2026long-name-12", ConfusionHeatmap.shorten("class-with-a-long-name-12"));
        assertEquals("class-with-\u2026long-name-13", ConfusionHeatmap.shorten("class-with-a-long-name-13"));
        assertEquals(24, ConfusionHeatmap.shorten("x".repeat(100)).length());
        String exact = "y".repeat(24);
        assertEquals(exact, ConfusionHeatmap.shorten(exact));
    }

    @Test
    void heatmapStaysReadableFromTwoToFiftyClasses() {
        for (int classes : new int[] {2, 10, 11, 25, 26, 50, 100}) {
            ConfusionHeatmap h = ConfusionHeatmap.of("partial", matrix(classes));
            double expectedCell = Math.max(12, Math.min(60, Math.floor(600.0 / classes)));
            assertEquals(expectedCell, h.cell(), "cell of " + classes + " classes");
            assertEquals(classes * classes, h.cells().size());
            if (classes <= 50) {
                assertTrue(h.grid() <= 600, "grid of " + classes + " classes: " + h.grid());
            }
            assertEquals(h.cell() >= 24, h.cells().get(0).showCount(), classes + " classes");
            assertTrue(h.fontSize() >= 8 && h.fontSize() <= 12);
            assertTrue(h.right() <= h.width(), "the grid fits the width");
            double labelDrop = ConfusionHeatmap.textWidth("class-99", h.fontSize()) * Math.sqrt(0.5);
            assertTrue(
                    h.bottom() + 8 + labelDrop < h.predictedTitleY() - h.fontSize(),
                    "rotated names end above the axis title");
            assertTrue(h.legend().get(0).y() + 22 + 3 <= h.height(), "the legend's labels (baseline 22 px below) fit");
            assertTrue(
                    h.left() - 6 - ConfusionHeatmap.textWidth("class-49", h.fontSize()) > 20,
                    "names on the left clear the axis title");
        }
        assertTrue(ConfusionHeatmap.of("x", matrix(25)).cells().get(0).showCount());
        assertFalse(ConfusionHeatmap.of("x", matrix(26)).cells().get(0).showCount(), "23 px: counts only when hovered");
    }

    @Test
    void longClassNamesAreShortenedOnTheAxesOnly() {
        String longName = "a-very-long-class-name-from-a-folder-of-images";
        ConfusionHeatmap h = ConfusionHeatmap.of("full", ConfusionMatrix.of(List.of(longName, "b"), new long[2][2]));
        ConfusionHeatmap.Label label = h.trueLabels().get(0);
        assertEquals("a-very-long\u2026er-of-images", label.text());
        assertEquals(24, label.text().length());
        assertEquals(longName, label.name());
        assertTrue(h.cells().get(0).title().contains(longName));
        assertEquals("b", ConfusionHeatmap.shorten("b"));
        assertEquals("no test image of this class", h.cells().get(0).title().replaceAll(".*\\((.*)\\)", "$1"));
    }

    /** The calibration example of CalibrationTest: bins 1, 6, 9, 13 and 14 are drawn, 1.0 is named under the plot. */
    @Test
    void reliabilityBarsAreTheBinsAccuracyAndGap() {
        CalibrationBins bins = new CalibrationBins();
        double[] confidences = {0.95, 0.95, 0.92, 0.40, 0.45, 1.0, 0.60, 0.10};
        boolean[] correct = {true, false, true, true, false, true, false, false};
        for (int i = 0; i < confidences.length; i++) {
            bins.add(confidences[i], correct[i]);
        }
        ReliabilityDiagram d = ReliabilityDiagram.of("full", Calibration.of(bins));
        // ECE 0.22875: times 100 it is 22.874999... in binary, which rounds down
        assertEquals("Reliability: full, ECE 22.87%", d.title());
        assertEquals(5, d.bars().size());
        ReliabilityDiagram.Bar top = d.bars().get(4); // bin 14: accuracy 0.5, mean confidence 0.95
        assertEquals(d.left() + 14.0 / 15 * 360, top.x(), 1e-9);
        assertEquals(360.0 / 15, top.width(), 1e-9);
        assertEquals(0.5 * 360, top.barHeight(), 1e-9);
        assertEquals(d.top() + 360 - 0.95 * 360, top.gapY(), 1e-9);
        assertEquals(0.45 * 360, top.gapHeight(), 1e-9);
        assertTrue(top.overConfident());
        assertEquals(50, top.countHeight(), 1e-9, "bins 6 and 14 hold the most predictions (2): full strip");
        ReliabilityDiagram.Bar thirteen = d.bars().get(3); // 0.92 right: under-confident
        assertFalse(thirteen.overConfident());
        assertEquals(360, thirteen.barHeight(), 1e-9);
        assertEquals(0.08 * 360, thirteen.gapHeight(), 1e-9);
        assertEquals(25, thirteen.countHeight(), 1e-9, "half as many as the fullest bin");
        assertEquals("1 of 8 predictions at confidence 1.0 (not drawn): accuracy 100.0%", d.certainNote());
        assertFalse(d.empty());
        assertEquals(6, d.ticks().size());

        ReliabilityDiagram none = ReliabilityDiagram.of("full", Calibration.of(new CalibrationBins()));
        assertTrue(none.empty());
        assertTrue(none.bars().isEmpty());
        assertNull(none.certainNote());
        assertEquals("Reliability: full", none.title());
    }

    /** The figures of CostComparisonTest: x up to 45 s x 1.15, accuracies 81-86% with a 1-point margin. */
    @Test
    void costPointsSitAtTheirSecondsAndAccuracy() {
        CostComparison cost = CostComparison.of(List.of(
                new RunCost("freeze", 0, "cpu()", 32, 10, 3_000, 4, 2_000, null, 0.80),
                new RunCost("partial", 0, "cpu()", 32, 20, 3_000, 4, 2_000, null, 0.85),
                new RunCost("full", 0, "cpu()", 32, 40, 3_000, 5, 2_000, null, 0.86),
                new RunCost("freeze", 1, "cpu()", 32, 11, 3_000, 4, 2_000, null, 0.82)));
        AccuracyCostChart c = AccuracyCostChart.of(cost, List.of("freeze", "partial", "full"));
        double xMax = 45 * 1.15;
        AccuracyCostChart.Point freeze = c.points().get(0);
        assertEquals(c.left() + 14.5 / xMax * c.plotWidth(), freeze.x(), 1e-9);
        AccuracyCostChart.Point full = c.points().get(2);
        assertEquals(c.left() + 45 / xMax * c.plotWidth(), full.x(), 1e-9);
        assertTrue(full.y() < c.points().get(1).y() && c.points().get(1).y() < freeze.y(), "higher accuracy, higher");
        assertTrue(freeze.y() < c.bottom() && full.y() > c.top(), "inside the plot");
        assertEquals(
                List.of("#3498db", "#2ecc71", "#e74c3c"),
                c.points().stream().map(AccuracyCostChart.Point::color).toList());
        assertEquals(2, c.links().size());
        assertEquals("+1515.79 points per device-hour", c.links().get(0).label());
        assertEquals("+590.16 points per device-hour", c.links().get(1).label());
        assertEquals(freeze.x(), c.links().get(0).x1(), 1e-9);
        assertEquals("on cpu() at 32 px", c.subtitle());
        assertEquals(
                "the notebook's full run (3 strategies, 10 epochs of 3,000 images, 10,000 test images) would take 0.21"
                        + " device-hours here",
                c.projection());
        for (Axis.Tick t : c.yTicks()) {
            assertTrue(t.y() >= c.top() - 1e-9 && t.y() <= c.bottom() + 1e-9, "tick " + t.label() + " at " + t.y());
        }
        assertEquals("0", c.xTicks().get(0).label());
        assertEquals(c.left(), c.xTicks().get(0).x(), 1e-9);

        AccuracyCostChart empty = AccuracyCostChart.of(CostComparison.of(List.of()), List.of());
        assertTrue(empty.points().isEmpty());
        assertEquals("device unknown", empty.subtitle());
    }
}
