package dev.tlab.results.comparison;

import dev.tlab.datafiles.Predictions;
import org.apache.commons.math3.special.Beta;

/**
 * McNemar's exact test of two classifiers evaluated on the same test images (here: two strategies with the same seed on
 * the same test set). Only the discordant images count: {@code b}, right under the first and wrong under the second,
 * and {@code c}, the reverse. Under the null hypothesis (equal accuracy) each discordant image is a fair coin, so the
 * two-sided exact p is {@code min(1, 2 P(X <= min(b, c)))} for {@code X ~ Binomial(b + c, 1/2)}: what statsmodels
 * 0.13.5 computes with {@code mcnemar(table, exact=True)} ({@code binom.cdf(min(b, c), b + c, 0.5) * 2}, capped at 1),
 * checked against it in the tests. No discordant image gives p = 1.
 */
public final class McNemar {
    private McNemar() {}

    /**
     * The test's counts and result.
     *
     * @param firstOnlyCorrect {@code b}: images the first got right and the second wrong
     * @param secondOnlyCorrect {@code c}: images the second got right and the first wrong
     * @param images how many images were paired (0 when only the counts were given)
     */
    public record Result(long firstOnlyCorrect, long secondOnlyCorrect, long images, double pValue) {
        /** The first's accuracy minus the second's on the paired images, a fraction; null without the image count. */
        public Double accuracyDifference() {
            return images == 0 ? null : (double) (firstOnlyCorrect - secondOnlyCorrect) / images;
        }
    }

    /** The exact two-sided p of the discordant counts {@code b} and {@code c}. */
    public static Result exact(long b, long c) {
        return new Result(b, c, 0, pValue(b, c));
    }

    /**
     * Pairs two evaluations image by image.
     *
     * @throws IllegalArgumentException when they were not made on the same test set (digest, size or labels differ)
     */
    public static Result compare(Predictions first, Predictions second) {
        String mismatch = testSetMismatch(first, second);
        if (mismatch != null) {
            throw new IllegalArgumentException("McNemar's test pairs evaluations of the same test set: " + mismatch);
        }
        long b = 0;
        long c = 0;
        for (int i = 0; i < first.size(); i++) {
            boolean firstRight = first.correct(i);
            boolean secondRight = second.correct(i);
            if (firstRight && !secondRight) {
                b++;
            } else if (secondRight && !firstRight) {
                c++;
            }
        }
        return new Result(b, c, first.size(), pValue(b, c));
    }

    /** Why two evaluations cannot be paired, or null when they can. */
    public static String testSetMismatch(Predictions first, Predictions second) {
        if (!first.testDigest().equals(second.testDigest())) {
            return "test digests " + first.testDigest() + " and " + second.testDigest() + " differ";
        }
        if (first.size() != second.size() || first.classCount() != second.classCount()) {
            return first.size() + " images of " + first.classCount() + " classes against " + second.size()
                    + " images of " + second.classCount() + " classes";
        }
        for (int i = 0; i < first.size(); i++) {
            if (first.label(i) != second.label(i)) {
                return "the true class of image " + i + " differs";
            }
        }
        return null;
    }

    static double pValue(long b, long c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts cannot be negative: b=" + b + ", c=" + c);
        }
        long n = b + c;
        long k = Math.min(b, c);
        if (2 * k >= n) {
            return 1; // b == c (or both 0): the cdf at the median is at least 1/2, doubled at least 1
        }
        // P(X <= k) = I_{1/2}(n - k, k + 1), the regularized incomplete beta function. Computed directly rather than
        // as commons-math's 1 - I_{1/2}(k + 1, n - k), which rounds p-values below 1e-16 to 0.
        return Math.min(1, 2 * Beta.regularizedBeta(0.5, n - k, k + 1.0, 1e-15));
    }
}
