package dev.tlab.datafiles;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The per-image outcome of one final evaluation: for test image {@code i}, in the order the test set was served, its
 * true class and the class the model predicted (indices into the manifest's class map). It is what two strategies'
 * McNemar test pairs image by image, so it names the test set it was made on ({@code testDigest}, the manifest's sha256
 * of the test records): predictions on different test sets are never paired. {@link PredictionsFile} stores it.
 */
public final class Predictions {
    /** The most test images one evaluation may record: {@link PredictionsFile} reads nothing larger. */
    public static final int MAX_IMAGES = 1_000_000;
    /** The most classes a label can name (16 bits per label in the file). */
    public static final int MAX_CLASSES = 1 << 16;

    private final int classCount;
    private final String testDigest;
    private final int[] labels;
    private final int[] predicted;

    private Predictions(int classCount, String testDigest, int[] labels, int[] predicted) {
        this.classCount = classCount;
        this.testDigest = testDigest;
        this.labels = labels;
        this.predicted = predicted;
    }

    /**
     * Checks and copies the arrays.
     *
     * @param testDigest sha256 of the test records, 64 lower-case hexadecimal digits
     * @throws IllegalArgumentException naming what is wrong: a class count outside 2..{@value #MAX_CLASSES}, more than
     *     {@value #MAX_IMAGES} images, arrays of different lengths, a class index outside the class map
     */
    public static Predictions of(int classCount, String testDigest, int[] labels, int[] predicted) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(predicted, "predicted");
        if (classCount < 2 || classCount > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "classCount must be between 2 and " + MAX_CLASSES + ", was " + classCount);
        }
        requireDigest(testDigest);
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException("one predicted class per label: " + labels.length + " labels, "
                    + predicted.length + " predictions");
        }
        if (labels.length > MAX_IMAGES) {
            throw new IllegalArgumentException(
                    labels.length + " images is more than the " + MAX_IMAGES + " one evaluation may record");
        }
        for (int i = 0; i < labels.length; i++) {
            requireClass(labels[i], classCount, "label", i);
            requireClass(predicted[i], classCount, "predicted class", i);
        }
        return new Predictions(classCount, testDigest, labels.clone(), predicted.clone());
    }

    private static void requireClass(int value, int classCount, String what, int image) {
        if (value < 0 || value >= classCount) {
            throw new IllegalArgumentException(
                    "the " + what + " of image " + image + " is " + value + ", outside the " + classCount + " classes");
        }
    }

    static void requireDigest(String testDigest) {
        if (testDigest == null || !testDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "testDigest must be a sha256 of 64 lower-case hexadecimal digits, was " + testDigest);
        }
    }

    public int classCount() {
        return classCount;
    }

    public String testDigest() {
        return testDigest;
    }

    byte[] testDigestBytes() {
        return HexFormat.of().parseHex(testDigest);
    }

    /** How many test images. */
    public int size() {
        return labels.length;
    }

    public int label(int image) {
        return labels[image];
    }

    public int predicted(int image) {
        return predicted[image];
    }

    public boolean correct(int image) {
        return labels[image] == predicted[image];
    }

    public long correctCount() {
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The confusion matrix: {@code [true class][predicted class]} counts, classes in class-map order. */
    public long[][] confusionCounts() {
        long[][] counts = new long[classCount][classCount];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][predicted[i]]++;
        }
        return counts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Predictions that
                && classCount == that.classCount
                && testDigest.equals(that.testDigest)
                && Arrays.equals(labels, that.labels)
                && Arrays.equals(predicted, that.predicted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classCount, testDigest, Arrays.hashCode(labels), Arrays.hashCode(predicted));
    }

    @Override
    public String toString() {
        return "Predictions[" + labels.length + " images, " + classCount + " classes, test " + testDigest + "]";
    }
}
