package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationBinsTest {

    /**
     * torchmetrics' bucketize(right=True) - 1 on linspace(0, 1, 16): [k/15, (k+1)/15), and 1.0 in a slot of its own.
     */
    @Test
    void binsAreClosedOnTheLeftAndOneHasItsOwnSlot() {
        assertEquals(0, CalibrationBins.slot(0.0));
        assertEquals(0, CalibrationBins.slot(Math.nextDown(1.0 / 15)));
        assertEquals(1, CalibrationBins.slot(1.0 / 15));
        assertEquals(7, CalibrationBins.slot(0.5));
        for (int k = 1; k < 15; k++) {
            assertEquals(k, CalibrationBins.slot(k / 15.0), "boundary " + k + "/15 opens bin " + k);
            assertEquals(k - 1, CalibrationBins.slot(Math.nextDown(k / 15.0)), "just below " + k + "/15");
        }
        for (int k = 1; k < 15; k++) {
            double c = k / 15.0;
            for (int i = 0; i < 40; i++) {
                c = Math.nextDown(c);
            }
            for (int i = 0; i < 80; i++, c = Math.nextUp(c)) {
                int expected = c >= k / 15.0 ? k : k - 1;
                assertEquals(expected, CalibrationBins.slot(c), "confidence " + c + " near " + k + "/15");
                assertTrue(CalibrationBins.lower(expected) <= c && c < CalibrationBins.upper(expected));
            }
        }
        assertEquals(14, CalibrationBins.slot(14.0 / 15));
        assertEquals(14, CalibrationBins.slot(Math.nextDown(1.0)));
        assertEquals(CalibrationBins.CERTAIN, CalibrationBins.slot(1.0));
        assertEquals(16, CalibrationBins.SLOTS);
        for (double bad : new double[] {-0.001, 1.0001, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> CalibrationBins.slot(bad), "confidence " + bad);
        }
    }

    /**
     * Per-bin sums of float32 confidences merge exactly: 20,000 predictions added one by one give the same bins, to the
     * last bit, as the same predictions in shuffled batches of 128 summed per batch and then merged.
     */
    @Test
    void batchesMergeToExactlyTheBinsOfTheWholeEvaluation() {
        Random random = new Random(11);
        int n = 20_000;
        float[] confidences = new float[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            // top-label probabilities of 10 classes: at least 0.1, with many exactly 1.0 as float32 softmax gives
            confidences[i] = random.nextInt(10) == 0 ? 1f : 0.1f + 0.9f * random.nextFloat();
            correct[i] = random.nextFloat() < confidences[i];
        }
        CalibrationBins whole = new CalibrationBins();
        for (int i = 0; i < n; i++) {
            whole.add(confidences[i], correct[i]);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        List<CalibrationBins> batches = new ArrayList<>();
        for (int start = 0; start < n; start += 128) {
            CalibrationBins batch = new CalibrationBins();
            for (int j = start; j < Math.min(n, start + 128); j++) {
                int i = order.get(j);
                batch.add(confidences[i], correct[i]);
            }
            batches.add(batch);
        }
        Collections.reverse(batches);
        CalibrationBins merged = new CalibrationBins();
        batches.forEach(merged::addAll);
        assertEquals(whole, merged, "counts, confidence sums and correct counts are identical");
        assertEquals(n, merged.total());
        assertTrue(merged.count(CalibrationBins.CERTAIN) > 1_500);
        assertEquals((double) merged.count(CalibrationBins.CERTAIN), merged.confidenceSum(CalibrationBins.CERTAIN));
    }

    @Test
    void binsFromAMessageAreChecked() {
        CalibrationBins bins = new CalibrationBins();
        bins.add(0.95, true);
        bins.add(0.95, false);
        bins.add(0.40, true);
        CalibrationBins copy = CalibrationBins.of(bins.counts(), bins.confidenceSums(), bins.correctCounts());
        assertEquals(bins, copy);
        assertArrayEquals(bins.counts(), copy.counts());

        long[] counts = bins.counts();
        double[] sums = bins.confidenceSums();
        long[] correct = bins.correctCounts();
        assertReason(() -> CalibrationBins.of(new long[15], new double[15], new long[15]), "need 16 slots");
        long[] tooManyCorrect = correct.clone();
        tooManyCorrect[14] = 3;
        assertReason(() -> CalibrationBins.of(counts, sums, tooManyCorrect), "slot 14: need 0 <= correct <= count");
        long[] negative = counts.clone();
        negative[3] = -1;
        assertReason(() -> CalibrationBins.of(negative, sums, correct), "slot 3");
        double[] outside = sums.clone();
        outside[14] = 1.5; // two confidences in [14/15, 1) sum to at least 1.866...
        assertReason(() -> CalibrationBins.of(counts, outside, correct), "slot 14: a confidence sum of 1.5");
        double[] certain = sums.clone();
        long[] certainCounts = counts.clone();
        certainCounts[CalibrationBins.CERTAIN] = 2;
        certain[CalibrationBins.CERTAIN] = 1.9;
        assertReason(() -> CalibrationBins.of(certainCounts, certain, correct), "slot 15");
    }

    private static void assertReason(org.junit.jupiter.api.function.Executable call, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
