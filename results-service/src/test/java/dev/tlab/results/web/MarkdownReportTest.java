package dev.tlab.results.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Script;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Markdown report says which epoch each run with epoch selection was tested on and why, and only then. */
class MarkdownReportTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Charts are drawn by the templates (Quarkus); their markup is not at stake here. */
    private static final MarkdownReport.Charts NO_CHARTS = new MarkdownReport.Charts() {
        @Override
        public String bar(BarChart bar) {
            return "<svg/>";
        }

        @Override
        public String curves(CurvesChart curves) {
            return "<svg/>";
        }

        @Override
        public String heatmap(ConfusionHeatmap heatmap) {
            return "<svg/>";
        }

        @Override
        public String reliability(ReliabilityDiagram diagram) {
            return "<svg/>";
        }

        @Override
        public String cost(AccuracyCostChart cost) {
            return "<svg/>";
        }
    };

    private static String report(String reason) {
        Script script = new Script(UUID.randomUUID(), T0)
                .selectingEpochs(reason == null ? null : new EpochSelection(EpochSelection.VAL_LOSS, 2));
        ResultsStore store = new ResultsStore();
        store.apply(script.job("full", 0, 1, "m-1", "images", false, 4));
        store.apply(script.job("freeze", 0, 1, "m-1", "images", false, 4));
        store.apply(script.epoch("freeze", 0, 1, 1, 4, 1.0, 0.5));
        store.apply(script.completed("freeze", 0, 1, 0.7, 4));
        for (int e = 1; e <= 3; e++) {
            store.apply(script.epoch("full", 0, 1, e, 4, 1.0 / e, 0.5, 0.9, 0.7));
        }
        if (reason != null) {
            store.apply(script.completed(
                    "full", 0, 1, 0.81, new SelectedEpoch(1, 3, EpochSelection.VAL_LOSS, 0.9, true, reason)));
        }
        Views.Experiment experiment = store.find(script.experimentId()).orElseThrow();
        return MarkdownReport.of(ExperimentPanel.of(experiment), "http://results", T0, NO_CHARTS);
    }

    @Test
    void aRunTestedOnASelectedEpochIsListedWithItsReasonEscaped() {
        String markdown = report("lowest validation loss | <b>0.9000</b>");
        assertTrue(markdown.contains("## Epoch selection"), markdown);
        assertTrue(
                markdown.contains("| full | 0 | tested on epoch 1 of 3, stopped early | valLoss 0.9000 |"
                        + " lowest validation loss \\| &lt;b&gt;0.9000&lt;/b&gt; |"),
                markdown);
    }

    @Test
    void theRecordOfHowItWasMadeNamesTheSelection() {
        assertTrue(
                report("r").contains(", tested on the best epoch by valLoss on the validation split, patience 2 |"),
                report("r"));
        assertFalse(report(null).contains("tested on the best epoch"));
    }

    @Test
    void withoutASelectionThereIsNoSuchSection() {
        assertFalse(report(null).contains("Epoch selection"));
    }
}
