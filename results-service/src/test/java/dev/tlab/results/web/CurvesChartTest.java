package dev.tlab.results.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Script;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The geometry of the curves with epoch selection: each validated job adds a validation curve per panel and a ring on
 * the point of the epoch it was tested on; a chart without validation has neither, nor their keys, and keeps its
 * titles.
 */
class CurvesChartTest {
    private final Script script = new Script(UUID.randomUUID(), Instant.parse("2026-03-01T10:00:00Z"));

    /** partial selects epoch 2 of 3 (its validation loss peaks above every training loss); freeze has no validation. */
    private Views.Experiment experiment(boolean withSelection) {
        ResultsStore store = new ResultsStore();
        store.apply(script.job("freeze", 0, 1, "m-1", "images", false, 3));
        store.apply(script.job("partial", 0, 1, "m-1", "images", false, 3));
        for (int e = 1; e <= 3; e++) {
            store.apply(script.epoch("freeze", 0, 1, e, 3, 2.0 / e, 0.3 * e));
        }
        store.apply(script.completed("freeze", 0, 1, 0.70, 3));
        double[] valAccuracy = {0.70, 0.80, 0.75};
        for (int e = 1; e <= 3; e++) {
            store.apply(
                    withSelection
                            ? script.epoch("partial", 0, 1, e, 3, 1.0 / e, 0.3 * e, 2.5 + e / 10.0, valAccuracy[e - 1])
                            : script.epoch("partial", 0, 1, e, 3, 1.0 / e, 0.3 * e));
        }
        store.apply(
                withSelection
                        ? script.completed(
                                "partial",
                                0,
                                1,
                                0.81,
                                new SelectedEpoch(
                                        2, 3, EpochSelection.VAL_ACCURACY, 0.80, false, "highest validation accuracy"))
                        : script.completed("partial", 0, 1, 0.81, 3));
        return store.find(script.experimentId()).orElseThrow();
    }

    @Test
    void aValidatedJobAddsItsValidationCurveAndARingOnItsTestedEpochInBothPanels() {
        CurvesChart chart = CurvesChart.of(experiment(true));
        CurvesChart.Panel loss = chart.panels().get(0);
        CurvesChart.Panel accuracy = chart.panels().get(1);
        assertEquals("Train and validation loss per epoch", loss.title());
        assertEquals("Train and validation accuracy (%) per epoch", accuracy.title());
        for (CurvesChart.Panel panel : chart.panels()) {
            List<CurvesChart.Line> validation =
                    panel.lines().stream().filter(CurvesChart.Line::validation).toList();
            assertEquals(1, validation.size(), panel.title());
            assertEquals("partial", validation.get(0).strategy());
            assertEquals(3, validation.get(0).dots().size());
            assertEquals(1, panel.markers().size(), "one ring: partial's tested epoch");
            CurvesChart.Dot epoch2 = validation.get(0).dots().get(1);
            CurvesChart.Marker ring = panel.markers().get(0);
            assertEquals(epoch2.x(), ring.x());
            assertEquals(epoch2.y(), ring.y(), "on the validation point of epoch 2");
            assertTrue(ring.title().contains("tested on epoch 2 of 3: highest validation accuracy"), ring.title());
            for (CurvesChart.Line line : panel.lines()) {
                for (CurvesChart.Dot dot : line.dots()) {
                    assertTrue(
                            dot.y() >= panel.top() - 1e-9 && dot.y() <= panel.top() + panel.height() + 1e-9,
                            "inside the panel: " + dot.title());
                }
            }
        }
        // the validation loss (2.8) is the largest value: the loss axis is scaled to it (1.1 times, as for training)
        double highest = loss.lines().stream()
                .flatMap(l -> l.dots().stream())
                .mapToDouble(CurvesChart.Dot::y)
                .min()
                .orElseThrow();
        assertEquals(loss.top() + loss.height() - loss.height() / 1.1, highest, 1e-9);
        assertEquals(
                accuracy.top() + accuracy.height() * (1 - 0.80),
                accuracy.markers().get(0).y(),
                1e-9,
                "at 80%");
        assertEquals(
                List.of("train", "validation", "selected"),
                chart.keys().stream().map(CurvesChart.Key::kind).toList());
    }

    @Test
    void withoutValidationThereIsNoValidationCurveRingOrKey() {
        CurvesChart chart = CurvesChart.of(experiment(false));
        assertEquals("Loss per epoch", chart.panels().get(0).title());
        assertEquals("Train accuracy (%) per epoch", chart.panels().get(1).title());
        assertTrue(chart.keys().isEmpty());
        for (CurvesChart.Panel panel : chart.panels()) {
            assertEquals(2, panel.lines().size());
            assertTrue(panel.lines().stream().noneMatch(CurvesChart.Line::validation));
            assertTrue(panel.markers().isEmpty());
        }
    }
}
