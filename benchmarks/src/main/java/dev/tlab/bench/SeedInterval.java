package dev.tlab.bench;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of one figure over seeds and its 95% t-interval (mean ± t(0.975, n − 1) · s / √n), as the results service
 * reports an experiment's accuracy; NaN bounds below two seeds.
 */
record SeedInterval(int seeds, double mean, double low, double high) {

    static SeedInterval of(double... values) {
        int n = values.length;
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        if (n < 2) {
            return new SeedInterval(n, mean, Double.NaN, Double.NaN);
        }
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(squares / (n - 1) / n);
        return new SeedInterval(n, mean, mean - half, mean + half);
    }

    boolean contains(double value) {
        return value >= low && value <= high;
    }

    /**
     * Whether two settings score the same within what the seeds move them by: each one's mean lies in the other's 95%
     * interval (false when either has fewer than two seeds).
     */
    static boolean unchanged(SeedInterval a, SeedInterval b) {
        return a.contains(b.mean) && b.contains(a.mean);
    }
}
