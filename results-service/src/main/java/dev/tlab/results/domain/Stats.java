package dev.tlab.results.domain;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean, sample standard deviation and a two-sided 95% confidence interval of the mean from Student's t-distribution (n
 * - 1 degrees of freedom), with Apache commons-math3 3.6.1's {@link TDistribution}. The comparison statistics
 * ({@code comparison.PairedTTest}) use the same functions.
 */
public final class Stats {
    /** Absolute accuracy of the t quantiles: far below the 1e-4 of a printed table. */
    private static final double INVERSE_ACCURACY = 1e-12;

    private Stats() {}

    /** The summary of a sample; {@code std} and the interval are null below two values. */
    public record Summary(int n, double mean, Double std, Double ci95Low, Double ci95High) {}

    public static Summary summarize(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Summary(1, mean, null, null, null);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / (n - 1));
        double half = tQuantile(0.975, n - 1) * std / Math.sqrt(n);
        return new Summary(n, mean, std, mean - half, mean + half);
    }

    /** The p-quantile (0.5 &lt; p &lt; 1) of Student's t-distribution with {@code df} degrees of freedom. */
    public static double tQuantile(double p, int df) {
        if (!(p > 0.5 && p < 1) || df < 1) {
            throw new IllegalArgumentException("need 0.5 < p < 1 and df >= 1");
        }
        return t(df).inverseCumulativeProbability(p);
    }

    /** P(T &lt;= t) for Student's t with {@code df} degrees of freedom. */
    public static double tCdf(double t, int df) {
        return t(df).cumulativeProbability(t);
    }

    private static TDistribution t(int df) {
        // no random generator: only the distribution's functions are used (the default one seeds a Well19937c)
        return new TDistribution(null, df, INVERSE_ACCURACY);
    }
}
