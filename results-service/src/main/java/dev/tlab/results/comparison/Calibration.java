package dev.tlab.results.comparison;

import dev.tlab.datafiles.CalibrationBins;
import java.util.ArrayList;
import java.util.List;

/**
 * Expected calibration error and the reliability diagram's data of a final evaluation, from its {@link CalibrationBins}
 * (15 equal-width bins of the top-label confidence, and confidence 1.0 in a slot of its own, as torchmetrics bins).
 *
 * <p>ECE (Guo et al. 2017, eq. 3; torchmetrics' {@code multiclass_calibration_error(n_bins=15, norm="l1")}) = sum over
 * the slots of {@code (n_b / N) |acc_b - conf_b|}, with {@code acc_b} the fraction correct and {@code conf_b} the mean
 * confidence of slot b's {@code n_b} predictions out of {@code N}; empty slots add nothing. Since {@code n_b acc_b} and
 * {@code n_b conf_b} are the slot's sums, this is {@code sum |correct_b - confidenceSum_b| / N}, which is how it is
 * computed here: straight from the sums, with no division per bin.
 *
 * @param expectedCalibrationError null when there is no prediction
 * @param bins the fifteen bins in confidence order
 * @param certain the predictions made with confidence exactly 1.0
 */
public record Calibration(long predictions, Double expectedCalibrationError, List<Bin> bins, Bin certain) {

    /**
     * One bin of the reliability diagram: its confidence range [{@code lower}, {@code upper}), how many predictions,
     * their mean confidence and accuracy (both null when empty), and {@code gap} = accuracy - confidence (negative:
     * over-confident).
     */
    public record Bin(double lower, double upper, long count, Double meanConfidence, Double accuracy) {
        public Double gap() {
            return count == 0 ? null : accuracy - meanConfidence;
        }
    }

    public static Calibration of(CalibrationBins bins) {
        long total = bins.total();
        double gaps = 0;
        List<Bin> rows = new ArrayList<>();
        for (int slot = 0; slot < CalibrationBins.SLOTS; slot++) {
            gaps += Math.abs(bins.correct(slot) - bins.confidenceSum(slot));
            if (slot < CalibrationBins.BINS) {
                rows.add(bin(bins, slot));
            }
        }
        return new Calibration(
                total, total == 0 ? null : gaps / total, List.copyOf(rows), bin(bins, CalibrationBins.CERTAIN));
    }

    private static Bin bin(CalibrationBins bins, int slot) {
        long n = bins.count(slot);
        return new Bin(
                CalibrationBins.lower(slot),
                CalibrationBins.upper(slot),
                n,
                n == 0 ? null : bins.confidenceSum(slot) / n,
                n == 0 ? null : (double) bins.correct(slot) / n);
    }
}
