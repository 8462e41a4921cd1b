package dev.tlab.contracts;

import dev.tlab.datafiles.CalibrationBins;
import java.util.List;

/**
 * A final evaluation's top-label confidences summed per bin, as data-files' {@link CalibrationBins} keeps them: for
 * each of its {@value CalibrationBins#SLOTS} slots (fifteen equal-width bins over [0, 1), then confidence exactly 1.0)
 * the number of predictions, the sum of their confidences and how many were right. Checked by
 * {@link CalibrationBins#of}: sums that no set of predictions can give are refused when the message is read.
 */
public record CalibrationSums(List<Long> counts, List<Double> confidenceSums, List<Long> correct) {

    public CalibrationSums {
        counts = listOf(counts, "counts");
        confidenceSums = listOf(confidenceSums, "confidenceSums");
        correct = listOf(correct, "correct");
        try {
            bins(counts, confidenceSums, correct);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("calibration", e.getMessage());
        }
    }

    public static CalibrationSums of(CalibrationBins bins) {
        return new CalibrationSums(
                java.util.Arrays.stream(bins.counts()).boxed().toList(),
                java.util.Arrays.stream(bins.confidenceSums()).boxed().toList(),
                java.util.Arrays.stream(bins.correctCounts()).boxed().toList());
    }

    private static <T> List<T> listOf(List<T> values, String name) {
        String field = "calibration." + name;
        return Fields.noNullItems(Fields.required(values, field), field);
    }

    /** The bins, to add up and to compute the calibration error from. */
    public CalibrationBins bins() {
        return bins(counts, confidenceSums, correct);
    }

    /** How many predictions in all. */
    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    private static CalibrationBins bins(List<Long> counts, List<Double> sums, List<Long> correct) {
        return CalibrationBins.of(
                counts.stream().mapToLong(Long::longValue).toArray(),
                sums.stream().mapToDouble(Double::doubleValue).toArray(),
                correct.stream().mapToLong(Long::longValue).toArray());
    }
}
