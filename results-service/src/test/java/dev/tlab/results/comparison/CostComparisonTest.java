package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlab.results.comparison.CostComparison.RunCost;
import dev.tlab.results.comparison.CostComparison.StrategyCost;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostComparisonTest {
    private static RunCost run(
            String strategy, long seed, double train, double eval, double accuracy, Long peakMemoryBytes) {
        // 3 epochs of 1,000 images, then 2,000 test images, at 32 px on the CPU
        return new RunCost(strategy, seed, "cpu()", 32, train, 3_000, eval, 2_000, peakMemoryBytes, accuracy);
    }

    private static final List<RunCost> RUNS = List.of(
            run("freeze", 0, 10, 4, 0.80, 1_000_000_000L),
            run("partial", 0, 20, 4, 0.85, null),
            run("full", 0, 40, 5, 0.86, 2_000_000_000L),
            run("freeze", 1, 11, 4, 0.82, 1_200_000_000L));

    /**
     * By hand. freeze: 2 runs, train 21 s for 6,000 images (285.714 img/s), eval 8 s for 4,000 (500 img/s), mean device
     * seconds (14 + 15) / 2 = 14.5, accuracy 0.81, projected 30,000 / 285.714 + 10,000 / 500 = 105 + 20 = 125 s.
     * partial: 24 s, 150 and 500 img/s, 0.85, projected 200 + 20 = 220 s, (85 - 81) points / (9.5 / 3600 h) = 1515.79
     * points per device-hour. full: 45 s, 75 and 400 img/s, 0.86, projected 400 + 25 = 425 s, 5 / (30.5 / 3600) =
     * 590.16. The notebook's run: 125 + 220 + 425 = 770 s.
     */
    @Test
    void figuresByHand() {
        CostComparison c = CostComparison.of(RUNS);
        assertEquals("freeze", c.cheapest());
        assertEquals(
                List.of("freeze", "partial", "full"),
                c.strategies().stream().map(StrategyCost::strategy).toList());
        StrategyCost freeze = c.strategies().get(0);
        assertEquals(2, freeze.runs());
        assertEquals(10.5, freeze.meanTrainSeconds(), 1e-12);
        assertEquals(4, freeze.meanEvalSeconds(), 1e-12);
        assertEquals(14.5, freeze.meanDeviceSeconds(), 1e-12);
        assertEquals(29, freeze.totalDeviceSeconds(), 1e-12);
        assertEquals(6000.0 / 21, freeze.trainImagesPerSecond(), 1e-9);
        assertEquals(500, freeze.evalImagesPerSecond(), 1e-9);
        assertEquals(1_200_000_000L, freeze.peakMemoryBytes());
        assertEquals(0.81, freeze.meanAccuracy(), 1e-12);
        assertEquals(125, freeze.projectedNotebookSeconds(), 1e-9);
        assertNull(freeze.pointsPerDeviceHour(), "the cheapest is the baseline");

        StrategyCost partial = c.strategies().get(1);
        assertEquals(24, partial.meanDeviceSeconds(), 1e-12);
        assertEquals(220, partial.projectedNotebookSeconds(), 1e-9);
        assertEquals(4 * 3600 / 9.5, partial.pointsPerDeviceHour(), 1e-9);
        assertNull(partial.peakMemoryBytes());

        StrategyCost full = c.strategies().get(2);
        assertEquals(425, full.projectedNotebookSeconds(), 1e-9);
        assertEquals(5 * 3600 / 30.5, full.pointsPerDeviceHour(), 1e-9);

        assertEquals(770, c.notebookRunSeconds(), 1e-9);
        assertEquals(List.of("cpu()"), c.devices());
        assertEquals(List.of(32), c.imageSizes());
    }

    @Test
    void aCostlierStrategyThatLosesAccuracyBuysNegativePoints() {
        CostComparison c =
                CostComparison.of(List.of(run("freeze", 0, 10, 4, 0.80, null), run("full", 0, 40, 4, 0.70, null)));
        assertEquals(-10 * 3600 / 30.0, c.strategies().get(1).pointsPerDeviceHour(), 1e-9);
    }

    @Test
    void sameCostNoRatio() {
        CostComparison c =
                CostComparison.of(List.of(run("freeze", 0, 10, 4, 0.80, null), run("full", 0, 10, 4, 0.90, null)));
        assertNull(c.strategies().get(1).pointsPerDeviceHour());
    }

    @Test
    void theNotebookRunNeedsItsThreeStrategies() {
        CostComparison c =
                CostComparison.of(List.of(run("freeze", 0, 10, 4, 0.8, null), run("layer3", 0, 30, 4, 0.9, null)));
        assertNull(c.notebookRunSeconds());
        assertEquals(30_000 / 300.0 + 10_000 / 500.0, c.strategies().get(0).projectedNotebookSeconds(), 1e-9);
        assertEquals(30_000 / 100.0 + 10_000 / 500.0, c.strategies().get(1).projectedNotebookSeconds(), 1e-9);
    }

    @Test
    void noRunsNoFigures() {
        CostComparison c = CostComparison.of(List.of());
        assertEquals(List.of(), c.strategies());
        assertNull(c.cheapest());
        assertNull(c.notebookRunSeconds());
    }

    @Test
    void negativeFiguresAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> run("full", 0, -1, 4, 0.8, null));
        assertThrows(IllegalArgumentException.class, () -> new RunCost("full", 0, "cpu()", 32, 1, -5, 1, 1, null, 0.8));
    }
}
