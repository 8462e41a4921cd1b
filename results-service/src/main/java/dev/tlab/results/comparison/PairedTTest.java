package dev.tlab.results.comparison;

import dev.tlab.results.domain.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * The paired t-test of two strategies' accuracies over the seeds both completed: the differences {@code d_s = a_s -
 * b_s}, their mean, the sample standard deviation {@code s} (n - 1), the two-sided 95% interval {@code mean +/-
 * t(0.975, n - 1) s / sqrt(n)} and the two-sided p of {@code t = mean / (s / sqrt(n))} (scipy 1.10's
 * {@code stats.ttest_rel}, checked against it in the tests). The t functions are {@link Stats}' (commons-math3).
 *
 * <p>Identical differences ({@code s = 0}) give a zero-width interval and p = 0 when they are not zero (scipy: t =
 * infinity, p = 0), p = 1 when they are all zero (scipy: NaN; nothing suggests a difference).
 */
public record PairedTTest(
        int pairs, double meanDifference, double std, double ci95Low, double ci95High, double t, double pValue) {

    /**
     * @param first the first strategy's accuracy per seed
     * @param second the second's, same seeds in the same order
     * @throws IllegalArgumentException for lists of different lengths or fewer than two pairs
     */
    public static PairedTTest of(List<Double> first, List<Double> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(
                    "a paired test needs one value per seed on both sides: " + first.size() + " and " + second.size());
        }
        if (first.size() < 2) {
            throw new IllegalArgumentException("a t-interval needs at least two seeds, got " + first.size());
        }
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            differences.add(first.get(i) - second.get(i));
        }
        Stats.Summary summary = Stats.summarize(differences);
        int n = summary.n();
        double mean = summary.mean();
        double std = summary.std();
        if (std == 0) {
            double t = mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
            return new PairedTTest(n, mean, 0, mean, mean, t, mean == 0 ? 1 : 0);
        }
        double t = mean / (std / Math.sqrt(n));
        // 2 P(T <= -|t|) rather than 2 (1 - P(T <= |t|)), which loses small p-values to rounding
        double p = Math.min(1, 2 * Stats.tCdf(-Math.abs(t), n - 1));
        return new PairedTTest(n, mean, std, summary.ci95Low(), summary.ci95High(), t, p);
    }
}
