package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tlab.datafiles.CalibrationBins;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    private static CalibrationBins bins(double[] confidences, boolean[] correct) {
        CalibrationBins bins = new CalibrationBins();
        for (int i = 0; i < confidences.length; i++) {
            bins.add(confidences[i], correct[i]);
        }
        return bins;
    }

    /**
     * By hand, 8 predictions: bin 14 [14/15, 1): 0.95 right, 0.95 wrong (|1 - 1.9| = 0.9); bin 13: 0.92 right (0.08);
     * bin 6 [0.4, 7/15): 0.40 right, 0.45 wrong (|1 - 0.85| = 0.15); bin 9: 0.60 wrong (0.6); bin 1: 0.10 wrong (0.1);
     * confidence 1.0 right (0). ECE = (0.9 + 0.08 + 0.15 + 0.6 + 0.1 + 0) / 8 = 0.22875; torchmetrics' form, sum of
     * prop_b |acc_b - conf_b|, gives 2/8 0.45 + 1/8 0.08 + 2/8 0.075 + 1/8 0.6 + 1/8 0.1 = 0.22875 as well.
     */
    @Test
    void expectedCalibrationErrorByHand() {
        Calibration c = Calibration.of(bins(
                new double[] {0.95, 0.95, 0.92, 0.40, 0.45, 1.0, 0.60, 0.10},
                new boolean[] {true, false, true, true, false, true, false, false}));
        assertEquals(8, c.predictions());
        assertEquals(0.22875, c.expectedCalibrationError(), 1e-15);
        assertEquals(15, c.bins().size());
        Calibration.Bin top = c.bins().get(14);
        assertEquals(14.0 / 15, top.lower(), 1e-15);
        assertEquals(1.0, top.upper());
        assertEquals(2, top.count());
        assertEquals(0.95, top.meanConfidence(), 1e-15);
        assertEquals(0.5, top.accuracy());
        assertEquals(-0.45, top.gap(), 1e-15, "over-confident");
        Calibration.Bin six = c.bins().get(6);
        assertEquals(0.425, six.meanConfidence(), 1e-15);
        assertEquals(0.5, six.accuracy());
        assertEquals(1, c.certain().count());
        assertEquals(1.0, c.certain().accuracy());
        Calibration.Bin empty = c.bins().get(0);
        assertEquals(0, empty.count());
        assertNull(empty.meanConfidence());
        assertNull(empty.accuracy());
        assertNull(empty.gap());
    }

    /**
     * Certain predictions are not pooled with bin 14 (torchmetrics gives them a slot of their own): two right at 0.94
     * and one wrong at 1.0 make 0.12 + 1 = 1.12 (/ 3), where one pooled bin would give |2 - 2.88| = 0.88 (/ 3).
     */
    @Test
    void certainPredictionsHaveASlotOfTheirOwn() {
        Calibration c = Calibration.of(bins(new double[] {0.94, 0.94, 1.0}, new boolean[] {true, true, false}));
        assertEquals(1.12 / 3, c.expectedCalibrationError(), 1e-15);
    }

    @Test
    void noPredictionsNoError() {
        Calibration c = Calibration.of(new CalibrationBins());
        assertNull(c.expectedCalibrationError());
        assertEquals(0, c.predictions());
    }

    /**
     * The two routes give the same ECE: per-image confidences through a transcription of torchmetrics 1.x
     * ({@code _binning_bucketize} then {@code _ce_compute} with norm "l1": per-bin means, proportions, the weighted sum
     * of absolute gaps), and per-batch sums merged (what the trainer will send) through {@link Calibration}.
     */
    @Test
    void perImageConfidencesAndMergedBatchSumsAgree() {
        Random random = new Random(3);
        int n = 10_000;
        float[] confidences = new float[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            confidences[i] = random.nextInt(20) == 0 ? 1f : 0.1f + 0.9f * (float) Math.sqrt(random.nextFloat());
            correct[i] = random.nextFloat() < confidences[i] - 0.05f; // somewhat over-confident
        }
        CalibrationBins merged = new CalibrationBins();
        for (int start = 0; start < n; start += 128) {
            CalibrationBins batch = new CalibrationBins();
            for (int i = start; i < Math.min(n, start + 128); i++) {
                batch.add(confidences[i], correct[i]);
            }
            merged.addAll(batch);
        }
        double viaSums = Calibration.of(merged).expectedCalibrationError();
        double viaImages = torchmetricsEce(confidences, correct, 15);
        assertEquals(viaImages, viaSums, 1e-12);
        assertEquals(true, viaSums > 0.01, "the example is miscalibrated: " + viaSums);
    }

    /**
     * torchmetrics' algorithm, image by image: bucketize(c, linspace(0, 1, n + 1), right=True) - 1 into n + 1 slots.
     */
    private static double torchmetricsEce(float[] confidences, boolean[] correct, int nBins) {
        double[] boundaries = new double[nBins + 1];
        for (int k = 0; k <= nBins; k++) {
            boundaries[k] = (double) k / nBins;
        }
        double[] accBin = new double[nBins + 1];
        double[] confBin = new double[nBins + 1];
        double[] countBin = new double[nBins + 1];
        for (int i = 0; i < confidences.length; i++) {
            int right = 0; // bucketize(right=True): how many boundaries are <= c
            while (right < boundaries.length && boundaries[right] <= confidences[i]) {
                right++;
            }
            int index = right - 1;
            countBin[index] += 1;
            confBin[index] += confidences[i];
            accBin[index] += correct[i] ? 1 : 0;
        }
        double total = 0;
        for (double c : countBin) {
            total += c;
        }
        double ece = 0;
        for (int b = 0; b <= nBins; b++) {
            double acc = countBin[b] == 0 ? 0 : accBin[b] / countBin[b]; // nan_to_num
            double conf = countBin[b] == 0 ? 0 : confBin[b] / countBin[b];
            ece += Math.abs(acc - conf) * (countBin[b] / total);
        }
        return ece;
    }
}
