package dev.tlab.trainer.engine;

import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.Predictions;
import java.util.Arrays;

/**
 * What the final evaluation pass found: for each test image, in the order the test set was served, its true class and
 * the class the model predicted (the largest output), the top-label confidences (the largest softmax probability)
 * binned for calibration, and the pass's seconds. Class indices are the model's outputs: {@link #classCount} is the
 * number of outputs, or more when a label is beyond them.
 */
public final class TestEvaluation {
    private final int classCount;
    private final int[] labels;
    private final int[] predicted;
    private final CalibrationBins calibration;
    private final double seconds;

    private TestEvaluation(int classCount, int[] labels, int[] predicted, CalibrationBins calibration, double seconds) {
        this.classCount = classCount;
        this.labels = labels;
        this.predicted = predicted;
        this.calibration = calibration;
        this.seconds = seconds;
    }

    public int classCount() {
        return classCount;
    }

    public int images() {
        return labels.length;
    }

    public long correct() {
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Correct predictions over the images; 0 for an empty test set. */
    public double accuracy() {
        return labels.length == 0 ? 0 : (double) correct() / labels.length;
    }

    /** {@code [true class][predicted class]} counts. */
    public long[][] confusionCounts() {
        return confusionCounts(classCount);
    }

    /** The same over a class map of {@code classes} classes, at least {@link #classCount}. */
    public long[][] confusionCounts(int classes) {
        if (classes < classCount) {
            throw new IllegalArgumentException(
                    "the class map has " + classes + " classes, the evaluation " + classCount);
        }
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][predicted[i]]++;
        }
        return counts;
    }

    /** A copy of the calibration bins. */
    public CalibrationBins calibration() {
        CalibrationBins copy = new CalibrationBins();
        copy.addAll(calibration);
        return copy;
    }

    public double seconds() {
        return seconds;
    }

    /**
     * The per-image outcome for the predictions file.
     *
     * @param classes the class map's size, at least {@link #classCount}
     * @param testDigest the manifest's sha256 of the test records
     */
    public Predictions predictions(int classes, String testDigest) {
        if (classes < classCount) {
            throw new IllegalArgumentException(
                    "the class map has " + classes + " classes, the evaluation " + classCount);
        }
        return Predictions.of(classes, testDigest, labels, predicted);
    }

    /**
     * An evaluation of given predictions (one batch), as the pass would have collected it.
     *
     * @param outputs the model's number of outputs
     * @param labelBound one more than the largest label of the test set
     */
    public static TestEvaluation of(
            int outputs, long[] labels, long[] predicted, float[] confidences, double seconds, int labelBound) {
        Builder builder = new Builder(labels.length);
        builder.add(labels, new FineTuningSession.Predicted(outputs, predicted, confidences));
        return builder.build(seconds, labelBound);
    }

    /** Collects a pass batch by batch. */
    static final class Builder {
        private int[] labels;
        private int[] predicted;
        private int size;
        private int outputs = -1;
        private final CalibrationBins calibration = new CalibrationBins();

        Builder(int expectedImages) {
            labels = new int[Math.max(expectedImages, 16)];
            predicted = new int[labels.length];
        }

        void add(long[] batchLabels, FineTuningSession.Predicted batch) {
            if (batch.size() != batchLabels.length) {
                throw new IllegalStateException(
                        batch.size() + " predictions for a batch of " + batchLabels.length + " images");
            }
            if (outputs < 0) {
                outputs = batch.outputs();
            } else if (outputs != batch.outputs()) {
                throw new IllegalStateException(
                        "the model gave " + batch.outputs() + " outputs after " + outputs + " in an earlier batch");
            }
            if (size + batchLabels.length > labels.length) {
                int grown = Math.max(labels.length * 2, size + batchLabels.length);
                labels = Arrays.copyOf(labels, grown);
                predicted = Arrays.copyOf(predicted, grown);
            }
            for (int i = 0; i < batchLabels.length; i++) {
                int label = Math.toIntExact(batchLabels[i]);
                int guess = Math.toIntExact(batch.classes()[i]);
                labels[size] = label;
                predicted[size] = guess;
                size++;
                calibration.add(confidence(batch.confidences()[i]), label == guess);
            }
        }

        /**
         * @param labelBound one more than the largest label of the test set: a head with fewer outputs still gets a row
         *     for every class
         */
        TestEvaluation build(double seconds, int labelBound) {
            int classes = Math.max(2, Math.max(outputs, labelBound));
            return new TestEvaluation(
                    classes, Arrays.copyOf(labels, size), Arrays.copyOf(predicted, size), calibration, seconds);
        }

        /**
         * A model whose outputs are not finite (diverged, or overflowed in float16) gives no confidence: it counts as
         * 0, so that its calibration shows it instead of failing the job. Within [0, 1] otherwise.
         */
        private static double confidence(float value) {
            return Float.isFinite(value) ? Math.min(1.0, Math.max(0.0, value)) : 0.0;
        }
    }
}
