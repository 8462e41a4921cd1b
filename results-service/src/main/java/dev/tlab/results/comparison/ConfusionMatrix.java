package dev.tlab.results.comparison;

import dev.tlab.datafiles.Predictions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A final evaluation's confusion matrix: {@code count(t, p)} test images of true class {@code t} predicted as class
 * {@code p}, rows and columns in the class map's order (the manifest's class names). Immutable.
 */
public final class ConfusionMatrix {
    private final List<String> classes;
    private final long[][] counts;

    private ConfusionMatrix(List<String> classes, long[][] counts) {
        this.classes = classes;
        this.counts = counts;
    }

    /**
     * Checks and copies a matrix.
     *
     * @throws IllegalArgumentException for fewer than two classes, a blank or repeated class name, a matrix that is not
     *     one row and one column per class, or a negative count
     */
    public static ConfusionMatrix of(List<String> classes, long[][] counts) {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(counts, "counts");
        if (classes.size() < 2) {
            throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + classes.size());
        }
        if (new HashSet<>(classes).size() != classes.size()
                || classes.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw new IllegalArgumentException("class names must be distinct and not blank: " + classes);
        }
        int n = classes.size();
        if (counts.length != n) {
            throw new IllegalArgumentException(
                    "the matrix has " + counts.length + " rows for " + n + " classes (one row per true class)");
        }
        long[][] copy = new long[n][];
        for (int t = 0; t < n; t++) {
            if (counts[t] == null || counts[t].length != n) {
                throw new IllegalArgumentException("row " + t + " (" + classes.get(t) + ") must have " + n + " counts");
            }
            for (int p = 0; p < n; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("count[" + t + "][" + p + "] is negative: " + counts[t][p]);
                }
            }
            copy[t] = counts[t].clone();
        }
        return new ConfusionMatrix(List.copyOf(classes), copy);
    }

    /** The matrix of per-image predictions, whose class indices refer to {@code classes}. */
    public static ConfusionMatrix of(List<String> classes, Predictions predictions) {
        if (predictions.classCount() != classes.size()) {
            throw new IllegalArgumentException("the predictions have " + predictions.classCount() + " classes, the "
                    + "class map " + classes.size());
        }
        return of(classes, predictions.confusionCounts());
    }

    public List<String> classes() {
        return classes;
    }

    public int size() {
        return classes.size();
    }

    public long count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /** Test images whose true class is {@code trueClass} (the row's sum). */
    public long support(int trueClass) {
        long sum = 0;
        for (long c : counts[trueClass]) {
            sum += c;
        }
        return sum;
    }

    /** Test images predicted as {@code predictedClass} (the column's sum). */
    public long predictedAs(int predictedClass) {
        long sum = 0;
        for (long[] row : counts) {
            sum += row[predictedClass];
        }
        return sum;
    }

    public long total() {
        long sum = 0;
        for (int t = 0; t < counts.length; t++) {
            sum += support(t);
        }
        return sum;
    }

    /** The diagonal's sum. */
    public long correct() {
        long sum = 0;
        for (int t = 0; t < counts.length; t++) {
            sum += counts[t][t];
        }
        return sum;
    }

    /** {@code count(t, p)} as a fraction of row {@code t}; 0 for a class without test images. */
    public double rowFraction(int trueClass, int predictedClass) {
        long support = support(trueClass);
        return support == 0 ? 0 : (double) counts[trueClass][predictedClass] / support;
    }

    /**
     * The element-wise sum with another evaluation's matrix over the same classes: a strategy's seeds pooled. On one
     * test set every seed has the same support per class, so a pooled class accuracy is the mean of the seeds'.
     */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        if (!classes.equals(other.classes)) {
            throw new IllegalArgumentException(
                    "cannot add confusion matrices of different classes: " + classes + " and " + other.classes);
        }
        long[][] sum = new long[size()][size()];
        for (int t = 0; t < size(); t++) {
            for (int p = 0; p < size(); p++) {
                sum[t][p] = Math.addExact(counts[t][p], other.counts[t][p]);
            }
        }
        return new ConfusionMatrix(classes, sum);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfusionMatrix that
                && classes.equals(that.classes)
                && Arrays.deepEquals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + classes + Arrays.deepToString(counts);
    }
}
