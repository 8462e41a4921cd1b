package dev.tlab.datafiles;

import java.util.Arrays;
import java.util.Objects;

/**
 * The top-label confidences of a final evaluation, summed per confidence bin: for each bin the number of predictions,
 * the sum of their confidences (the largest softmax probability) and how many were correct. These sums are what the
 * expected calibration error and the reliability diagram need, they add up across batches and across replicas, and they
 * stay {@value #SLOTS} numbers of each kind whatever the size of the test set.
 *
 * <p>The bins are torchmetrics' (1.x, {@code functional/classification/calibration_error.py},
 * {@code _binning_bucketize}): boundaries {@code linspace(0, 1, 16)}, a confidence {@code c} goes to the bin {@code k}
 * with {@code k/15 <= c < (k+1)/15} ({@code bucketize(..., right=True) - 1}), and a confidence of exactly 1.0 goes to a
 * slot of its own after the fifteen ({@link #CERTAIN}), as there. Guo et al. (2017) close the bins on the right
 * instead; the two differ only for a confidence that lies exactly on a boundary. A confidence within one float ulp of a
 * boundary may fall on the other side than in torchmetrics, whose boundaries are float32.
 *
 * <p>Counts add exactly, and so do the confidence sums of the trainer's float32 confidences: a float32 value of at
 * least 2^-10 (any top-label probability with fewer than 1,024 classes) is a multiple of 2^-33, and a double holds
 * every multiple of 2^-33 below 2^20, so a bin's sum of up to 1,048,576 such confidences (more than the million a
 * {@link PredictionsFile} may hold) is exact, whatever the order of the additions. Beyond that, an addition may round
 * by one double ulp.
 */
public final class CalibrationBins {
    /** Equal-width bins over [0, 1), as in Guo et al. (2017) and torchmetrics' default. */
    public static final int BINS = 15;
    /** The slot of confidences exactly 1.0. */
    public static final int CERTAIN = BINS;
    /** Bins plus the slot of certain predictions. */
    public static final int SLOTS = BINS + 1;

    private final long[] counts;
    private final double[] confidenceSums;
    private final long[] correct;

    /** Empty bins, to {@link #add} predictions to. */
    public CalibrationBins() {
        this(new long[SLOTS], new double[SLOTS], new long[SLOTS]);
    }

    private CalibrationBins(long[] counts, double[] confidenceSums, long[] correct) {
        this.counts = counts;
        this.confidenceSums = confidenceSums;
        this.correct = correct;
    }

    /**
     * Bins received from elsewhere (a message), checked: {@value #SLOTS} slots of each, no negative count, no more
     * correct predictions than predictions, and each confidence sum inside what its bin's predictions can add up to.
     *
     * @throws IllegalArgumentException naming the slot and what is wrong
     */
    public static CalibrationBins of(long[] counts, double[] confidenceSums, long[] correct) {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(confidenceSums, "confidenceSums");
        Objects.requireNonNull(correct, "correct");
        if (counts.length != SLOTS || confidenceSums.length != SLOTS || correct.length != SLOTS) {
            throw new IllegalArgumentException("calibration bins need " + SLOTS + " slots each (" + BINS
                    + " bins and confidence 1.0), got " + counts.length + " counts, " + confidenceSums.length
                    + " confidence sums, " + correct.length + " correct");
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            long n = counts[slot];
            if (n < 0 || correct[slot] < 0 || correct[slot] > n) {
                throw new IllegalArgumentException(
                        "slot " + slot + ": need 0 <= correct <= count, got " + correct[slot] + " correct of " + n);
            }
            double sum = confidenceSums[slot];
            // lower(slot) * n <= sum < upper(slot) * n, with room for the rounding of a sum of n values
            double slack = 1e-9 * Math.max(1, n);
            if (!(sum >= lower(slot) * n - slack && sum <= upper(slot) * n + slack)) {
                throw new IllegalArgumentException("slot " + slot + ": a confidence sum of " + sum
                        + " cannot come from " + n + " confidences in [" + lower(slot) + ", " + upper(slot) + "]");
            }
        }
        return new CalibrationBins(counts.clone(), confidenceSums.clone(), correct.clone());
    }

    /**
     * The slot of a confidence: {@code k} for {@code k/15 <= c < (k+1)/15}, {@link #CERTAIN} for 1.0.
     *
     * @throws IllegalArgumentException for a confidence outside [0, 1] or NaN
     */
    public static int slot(double confidence) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("a confidence must be in [0, 1], was " + confidence);
        }
        if (confidence == 1) {
            return CERTAIN;
        }
        // floor(c * 15) agrees with the boundaries k / 15.0 even for the doubles next to them (the test checks 40 ulps
        // on either side of each boundary)
        return (int) (confidence * BINS);
    }

    /** The lower boundary of a slot ({@code k/15}; 1.0 for the certain slot). */
    public static double lower(int slot) {
        return slot == CERTAIN ? 1.0 : (double) slot / BINS;
    }

    /** The upper boundary of a slot (excluded, except for the certain slot whose only value is 1.0). */
    public static double upper(int slot) {
        return slot >= BINS - 1 ? 1.0 : (double) (slot + 1) / BINS;
    }

    /** Adds one prediction: its top-label confidence and whether it was right. */
    public void add(double confidence, boolean wasCorrect) {
        int slot = slot(confidence);
        counts[slot]++;
        confidenceSums[slot] += confidence;
        if (wasCorrect) {
            correct[slot]++;
        }
    }

    /** Adds another evaluation's (or batch's) bins to these. */
    public void addAll(CalibrationBins other) {
        for (int slot = 0; slot < SLOTS; slot++) {
            counts[slot] += other.counts[slot];
            confidenceSums[slot] += other.confidenceSums[slot];
            correct[slot] += other.correct[slot];
        }
    }

    public long count(int slot) {
        return counts[slot];
    }

    public double confidenceSum(int slot) {
        return confidenceSums[slot];
    }

    public long correct(int slot) {
        return correct[slot];
    }

    /** How many predictions in all. */
    public long total() {
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        return total;
    }

    public long[] counts() {
        return counts.clone();
    }

    public double[] confidenceSums() {
        return confidenceSums.clone();
    }

    public long[] correctCounts() {
        return correct.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CalibrationBins that
                && Arrays.equals(counts, that.counts)
                && Arrays.equals(confidenceSums, that.confidenceSums)
                && Arrays.equals(correct, that.correct);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(counts), Arrays.hashCode(confidenceSums), Arrays.hashCode(correct));
    }

    @Override
    public String toString() {
        return "CalibrationBins[counts=" + Arrays.toString(counts) + ", confidenceSums="
                + Arrays.toString(confidenceSums) + ", correct=" + Arrays.toString(correct) + "]";
    }
}
