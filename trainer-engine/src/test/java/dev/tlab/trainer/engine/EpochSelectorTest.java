package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The selection rules on fixed figures, worked out by hand (Keras' ModelCheckpoint/EarlyStopping, min_delta 0). */
class EpochSelectorTest {

    private static List<EpochMetrics> epochs(double[] valLoss, double[] valAccuracy) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 0; i < valLoss.length; i++) {
            history.add(
                    new EpochMetrics(i + 1, 10, 1.0, 0.5, 1, 1, 0, 8).withValidation(valLoss[i], valAccuracy[i], 0.5));
        }
        return history;
    }

    @Test
    void aTieKeepsTheEarlierEpochAndTheReasonSaysSo() {
        List<EpochMetrics> history = epochs(new double[] {0.9, 0.7, 0.8, 0.6}, new double[] {0.5, 0.75, 0.75, 0.7});
        SelectedEpoch byAccuracy = new EpochSelector(EpochSelection.byValidationAccuracy()).selected(history, 10);
        assertEquals(2, byAccuracy.epoch());
        assertEquals(4, byAccuracy.epochsTrained());
        assertEquals(0.75, byAccuracy.value());
        assertEquals("highest validation accuracy (0.7500), the first of 2 epochs with it", byAccuracy.reason());
        SelectedEpoch byLoss =
                new EpochSelector(new EpochSelection(EpochSelection.VAL_LOSS, null)).selected(history, 4);
        assertEquals(4, byLoss.epoch());
        assertEquals("lowest validation loss (0.6000)", byLoss.reason());
        assertFalse(byLoss.stoppedEarly());
    }

    @Test
    void patienceCountsEpochsInARowWithoutImprovement() {
        EpochSelector patience2 = new EpochSelector(new EpochSelection(EpochSelection.VAL_LOSS, 2));
        double[] acc = new double[] {0, 0, 0, 0, 0};
        // best 0.5 at epoch 1; epoch 2 worse (1 without), epoch 3 better (0), epochs 4 and 5 worse (2): stop after 5
        double[] loss = {0.5, 0.6, 0.4, 0.45, 0.4};
        List<EpochMetrics> history = epochs(loss, acc);
        for (int t = 1; t <= 4; t++) {
            assertFalse(patience2.patienceRunOut(history.subList(0, t)), "after epoch " + t);
        }
        assertTrue(patience2.patienceRunOut(history), "epoch 5 equals the best: a tie is no improvement");
        SelectedEpoch selected = patience2.selected(history, 10);
        assertEquals(3, selected.epoch());
        assertTrue(selected.stoppedEarly());
        assertEquals(
                "lowest validation loss (0.4000), the first of 2 epochs with it; stopped after 2"
                        + " epochs without improvement (patience 2, 10 asked)",
                selected.reason());
        assertFalse(new EpochSelector(new EpochSelection(EpochSelection.VAL_LOSS, null)).patienceRunOut(history));
    }

    @Test
    void aLossThatIsNotFiniteIsNeverTheBest() {
        EpochSelector byLoss = new EpochSelector(new EpochSelection(EpochSelection.VAL_LOSS, 2));
        List<EpochMetrics> diverged = epochs(new double[] {Double.NaN, 0.8, Double.POSITIVE_INFINITY}, new double[3]);
        assertEquals(2, byLoss.best(diverged).orElseThrow().epoch());
        List<EpochMetrics> allNan = epochs(new double[] {Double.NaN, Double.NaN}, new double[2]);
        assertTrue(byLoss.best(allNan).isEmpty());
        assertTrue(byLoss.patienceRunOut(allNan), "no improvement since the start counts too");
        SelectedEpoch fallback = byLoss.selected(allNan, 5);
        assertEquals(2, fallback.epoch());
        assertNull(fallback.value());
        assertTrue(fallback.reason().contains("no epoch had a finite validation loss"), fallback.reason());
    }
}
