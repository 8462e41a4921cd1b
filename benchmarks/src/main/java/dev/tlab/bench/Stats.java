package dev.tlab.bench;

import java.util.Arrays;

/** Small statistics helpers for the benchmarks (pure functions, unit-tested). */
public final class Stats {

    private Stats() {}

    /**
     * The p-th percentile (0..100) by the nearest-rank method: the smallest value such that at least p% of the samples
     * are less than or equal to it. An empty sample has no percentile (NaN).
     */
    public static double percentile(double[] samples, double p) {
        if (p < 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("percentile must be within 0..100: " + p);
        }
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The median: the middle value, or the mean of the two middle ones for an even count. */
    public static double median(double[] samples) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Items per second; NaN when no time was measured. */
    public static double rate(double items, double seconds) {
        return seconds > 0 ? items / seconds : Double.NaN;
    }
}
