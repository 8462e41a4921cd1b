package dev.tlab.results.comparison;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-class results of a confusion matrix, as scikit-learn computes them ({@code precision_recall_fscore_support} with
 * {@code labels} = every class of the class map, checked against scikit-learn 1.2.1 in the tests):
 *
 * <ul>
 *   <li>precision = TP / (TP + FP), the diagonal over its column; recall = TP / (TP + FN), the diagonal over its row
 *       (the class's accuracy); F1 = 2 &middot; precision &middot; recall / (precision + recall); support = the row's
 *       sum;
 *   <li>a ratio whose denominator is zero (a class never predicted, a class without test images, precision and recall
 *       both zero) is 0, as with scikit-learn's default {@code zero_division="warn"} (which returns 0 and warns);
 *   <li>macro averages are the unweighted means over every class of the class map, those with zero support included
 *       (scikit-learn's {@code average="macro"} with every label given); macro F1 is the mean of the classes' F1, not
 *       the F1 of the macro precision and recall;
 *   <li>accuracy = the diagonal over the total (0 for an empty matrix).
 * </ul>
 */
public record PerClassReport(
        List<ClassMetrics> classes,
        double macroPrecision,
        double macroRecall,
        double macroF1,
        double accuracy,
        long total) {

    /** One class's row of the report; {@code recall} is the class's accuracy. */
    public record ClassMetrics(String className, long support, double precision, double recall, double f1) {
        public double accuracy() {
            return recall;
        }
    }

    public static PerClassReport of(ConfusionMatrix matrix) {
        List<ClassMetrics> rows = new ArrayList<>();
        double precisionSum = 0;
        double recallSum = 0;
        double f1Sum = 0;
        for (int c = 0; c < matrix.size(); c++) {
            long truePositives = matrix.count(c, c);
            double precision = ratio(truePositives, matrix.predictedAs(c));
            double recall = ratio(truePositives, matrix.support(c));
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows.add(new ClassMetrics(matrix.classes().get(c), matrix.support(c), precision, recall, f1));
            precisionSum += precision;
            recallSum += recall;
            f1Sum += f1;
        }
        int n = matrix.size();
        long total = matrix.total();
        return new PerClassReport(
                List.copyOf(rows), precisionSum / n, recallSum / n, f1Sum / n, ratio(matrix.correct(), total), total);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
