package dev.tlab.results.testdata;

import dev.tlab.contracts.CalibrationSums;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Final evaluations as a trainer reports them: the confusion matrix and calibration bins of given per-image
 * predictions, and the predictions file written into a model store, named as trainers name it.
 */
public final class Evaluations {
    /** The test digest of {@link Script#manifest}. */
    public static final String TEST_DIGEST = "c".repeat(64);

    private Evaluations() {}

    /**
     * @param confidence every prediction's confidence (its calibration bin)
     * @param store the model store to write the predictions file into, or null for none
     */
    public static Evaluation of(
            List<String> classes,
            int[] labels,
            int[] predicted,
            double confidence,
            Path store,
            UUID experimentId,
            String strategy,
            long seed) {
        Predictions predictions = Predictions.of(classes.size(), TEST_DIGEST, labels, predicted);
        CalibrationBins bins = new CalibrationBins();
        for (int i = 0; i < labels.length; i++) {
            bins.add(confidence, predictions.correct(i));
        }
        PredictionsArtifact artifact = null;
        if (store != null) {
            UUID jobId = TrainingJob.jobIdFor(experimentId, strategy, seed);
            String relative = experimentId + "/" + jobId + ".predictions";
            Path file = store.resolve(relative);
            try {
                Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String sha256 = PredictionsFile.write(file, predictions);
            artifact = new PredictionsArtifact(
                    relative, sha256, PredictionsFile.fileBytes(labels.length, classes.size()), (long) labels.length);
        }
        List<List<Long>> matrix = new ArrayList<>();
        for (long[] row : predictions.confusionCounts()) {
            matrix.add(Arrays.stream(row).boxed().toList());
        }
        return new Evaluation(
                classes,
                (long) labels.length,
                classes.size() > Evaluation.MAX_MATRIX_CLASSES ? null : matrix,
                CalibrationSums.of(bins),
                artifact);
    }

    /**
     * {@code images} test images of {@code classes} classes in turn; image i is predicted right unless {@code wrong(i)}
     * (then as the next class).
     */
    public static int[][] predictions(int images, int classes, java.util.function.IntPredicate wrong) {
        int[] labels = new int[images];
        int[] predicted = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % classes;
            predicted[i] = wrong.test(i) ? (labels[i] + 1) % classes : labels[i];
        }
        return new int[][] {labels, predicted};
    }

    /** A cost as a CPU trainer reports it. */
    public static JobCost cost(double trainSeconds, long trainImages, double evalSeconds, long evalImages) {
        return new JobCost(trainSeconds, trainImages, evalSeconds, evalImages, 900_000_000L, JobCost.PROCESS_RSS);
    }
}
