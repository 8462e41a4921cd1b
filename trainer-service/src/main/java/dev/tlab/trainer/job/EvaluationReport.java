package dev.tlab.trainer.job;

import dev.tlab.contracts.CalibrationSums;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.datafiles.Predictions;
import dev.tlab.trainer.engine.TestEvaluation;
import dev.tlab.trainer.engine.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What JobCompleted says of a job's final evaluation and cost, from the engine's result and the manifest's class map.
 */
final class EvaluationReport {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private EvaluationReport() {}

    /**
     * The class map of an evaluation: the manifest's names in its order, then {@code output K} for each output of a
     * model with more outputs than the manifest has classes (a name the manifest already uses gets a {@code *} more).
     */
    static List<String> classNames(int classCount, List<String> manifestNames) {
        List<String> names = new ArrayList<>(manifestNames.subList(0, Math.min(classCount, manifestNames.size())));
        Set<String> taken = new HashSet<>(manifestNames);
        for (int k = names.size(); k < classCount; k++) {
            String name = "output " + k;
            while (!taken.add(name)) {
                name += "*";
            }
            names.add(name);
        }
        return names;
    }

    /** Whether an evaluation of this many classes can be reported ({@link Evaluation#MAX_CLASSES}). */
    static boolean reportable(TestEvaluation evaluation, List<String> manifestNames) {
        return Math.max(evaluation.classCount(), manifestNames.size()) <= Evaluation.MAX_CLASSES;
    }

    /**
     * @param keep writes the per-image predictions next to the model and says where they lie, or null when no file is
     *     kept (no model store, or a test digest that is not a sha256 to name the test set by)
     */
    static Evaluation evaluation(
            TestEvaluation evaluation,
            List<String> manifestNames,
            String testDigest,
            Function<Predictions, PredictionsArtifact> keep) {
        int classCount = Math.max(evaluation.classCount(), manifestNames.size());
        List<String> classes = classNames(classCount, manifestNames);
        List<List<Long>> matrix = classCount > Evaluation.MAX_MATRIX_CLASSES
                ? null
                : Arrays.stream(evaluation.confusionCounts(classCount))
                        .map(row -> Arrays.stream(row).boxed().toList())
                        .toList();
        PredictionsArtifact kept =
                testDigest != null && SHA256.matcher(testDigest).matches()
                        ? keep.apply(evaluation.predictions(classCount, testDigest))
                        : null;
        return new Evaluation(
                classes, (long) evaluation.images(), matrix, CalibrationSums.of(evaluation.calibration()), kept);
    }

    static JobCost cost(TrainingResult result) {
        TestEvaluation evaluation = result.evaluation();
        boolean validated = result.selection() != null;
        long validationImages = result.validationImages();
        return new JobCost(
                result.trainSeconds(),
                result.trainImages(),
                evaluation.seconds(),
                (long) evaluation.images(),
                result.peakMemory().bytes(),
                result.peakMemory().kind(),
                validated ? result.validationSeconds() : null,
                validated ? validationImages : null);
    }
}
