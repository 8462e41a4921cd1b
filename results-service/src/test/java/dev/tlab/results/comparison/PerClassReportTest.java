package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Predictions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerClassReportTest {
    private static final List<String> ANIMALS = List.of("cat", "dog", "bird", "fish");

    /**
     * Rows are true classes. "bird" is never predicted (precision 0/0) and never right; "fish" has no test image
     * (recall 0/0) but is predicted twice.
     */
    private static final long[][] COUNTS = {
        {5, 2, 0, 1},
        {1, 6, 0, 0},
        {2, 0, 0, 1},
        {0, 0, 0, 0}
    };

    /**
     * Expected values from scikit-learn 1.2.1 (Debian python3-sklearn), y_true/y_pred expanded from {@link #COUNTS}:
     *
     * <pre>
     * precision_recall_fscore_support(y_true, y_pred, labels=[0, 1, 2, 3])
     *   P [0.625, 0.75, 0.0, 0.0]  R [0.625, 0.8571428571428571, 0.0, 0.0]
     *   F [0.625, 0.7999999999999999, 0.0, 0.0]  S [8, 7, 3, 0]
     * precision_recall_fscore_support(..., average='macro') -> (0.34375, 0.3705357142857143, 0.35624999999999996)
     * accuracy_score(y_true, y_pred) -> 0.6111111111111112
     * </pre>
     *
     * (with UndefinedMetricWarning for bird's precision and fish's recall: zero_division="warn" returns 0)
     */
    @Test
    void matchesScikitLearnIncludingItsZeroDivisionDefault() {
        PerClassReport report = PerClassReport.of(ConfusionMatrix.of(ANIMALS, COUNTS));
        double[] precision = {0.625, 0.75, 0.0, 0.0};
        double[] recall = {0.625, 0.8571428571428571, 0.0, 0.0};
        double[] f1 = {0.625, 0.7999999999999999, 0.0, 0.0};
        long[] support = {8, 7, 3, 0};
        for (int c = 0; c < 4; c++) {
            PerClassReport.ClassMetrics row = report.classes().get(c);
            assertEquals(ANIMALS.get(c), row.className());
            assertEquals(precision[c], row.precision(), 1e-12, "precision of " + row.className());
            assertEquals(recall[c], row.recall(), 1e-12, "recall of " + row.className());
            assertEquals(recall[c], row.accuracy(), 1e-12, "a class's accuracy is its recall");
            assertEquals(f1[c], row.f1(), 1e-12, "F1 of " + row.className());
            assertEquals(support[c], row.support());
        }
        assertEquals(0.34375, report.macroPrecision(), 1e-12);
        assertEquals(0.3705357142857143, report.macroRecall(), 1e-12);
        assertEquals(0.35624999999999996, report.macroF1(), 1e-12);
        assertEquals(0.6111111111111112, report.accuracy(), 1e-12);
        assertEquals(18, report.total());
    }

    @Test
    void anEmptyMatrixHasZeroEverywhere() {
        PerClassReport report = PerClassReport.of(ConfusionMatrix.of(List.of("a", "b"), new long[2][2]));
        assertEquals(0, report.accuracy());
        assertEquals(0, report.macroF1());
        assertTrue(report.classes().stream().allMatch(c -> c.precision() == 0 && c.recall() == 0 && c.f1() == 0));
    }

    @Test
    void theMatrixOfPerImagePredictionsAndSeedsPooled() {
        Predictions seed0 =
                Predictions.of(3, "00".repeat(32), new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 0, 2});
        List<String> classes = List.of("a", "b", "c");
        ConfusionMatrix m = ConfusionMatrix.of(classes, seed0);
        assertEquals(1, m.count(2, 0));
        assertEquals(4, m.correct());
        assertEquals(6, m.total());
        assertEquals(2.0 / 3, m.rowFraction(2, 2), 1e-15);
        ConfusionMatrix pooled = m.plus(m);
        assertEquals(12, pooled.total());
        for (int c = 0; c < 3; c++) {
            PerClassReport.ClassMetrics one = PerClassReport.of(m).classes().get(c);
            PerClassReport.ClassMetrics two =
                    PerClassReport.of(pooled).classes().get(c);
            assertEquals(2 * one.support(), two.support());
            assertEquals(one.precision(), two.precision(), 1e-15, "same rates, twice the counts");
            assertEquals(one.recall(), two.recall(), 1e-15);
            assertEquals(one.f1(), two.f1(), 1e-15);
        }
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("a", "b"), seed0));
        assertThrows(
                IllegalArgumentException.class,
                () -> m.plus(ConfusionMatrix.of(List.of("a", "b", "x"), new long[3][3])));
    }

    @Test
    void aMalformedMatrixIsRefusedWithTheReason() {
        assertReason(() -> ConfusionMatrix.of(List.of("a"), new long[1][1]), "at least 2 classes");
        assertReason(() -> ConfusionMatrix.of(List.of("a", "a"), new long[2][2]), "distinct");
        assertReason(() -> ConfusionMatrix.of(List.of("a", " "), new long[2][2]), "not blank");
        assertReason(() -> ConfusionMatrix.of(List.of("a", "b"), new long[3][2]), "3 rows for 2 classes");
        assertReason(() -> ConfusionMatrix.of(List.of("a", "b"), new long[][] {{1, 2}, {3}}), "row 1 (b) must have 2");
        assertReason(
                () -> ConfusionMatrix.of(List.of("a", "b"), new long[][] {{1, 2}, {3, -4}}), "count[1][1] is negative");
    }

    /**
     * By hand: cat 0.8 / 0.9 / 0.8 (spread 0.1), dog 0.7 / 0.5 / 0.9 (0.4), bird 1.0 / 0.9 / 1.0 (0.1); equal spreads
     * keep class order, ties in accuracy go to the strategy given first.
     */
    @Test
    void theClassesWhoseAccuracyDiffersMostBetweenStrategies() {
        List<String> classes = List.of("cat", "dog", "bird");
        Map<String, ConfusionMatrix> matrices = new LinkedHashMap<>();
        matrices.put("freeze", ConfusionMatrix.of(classes, new long[][] {{8, 2, 0}, {3, 7, 0}, {0, 0, 10}}));
        matrices.put("partial", ConfusionMatrix.of(classes, new long[][] {{9, 1, 0}, {5, 5, 0}, {0, 1, 9}}));
        matrices.put("full", ConfusionMatrix.of(classes, new long[][] {{8, 1, 1}, {1, 9, 0}, {0, 0, 10}}));
        List<ClassDifferences.ClassDifference> top = ClassDifferences.largest(matrices, 2);
        assertEquals(2, top.size());
        ClassDifferences.ClassDifference dog = top.get(0);
        assertEquals("dog", dog.className());
        assertEquals(0.4, dog.spread(), 1e-12);
        assertEquals("full", dog.highestStrategy());
        assertEquals(0.9, dog.highest(), 1e-12);
        assertEquals("partial", dog.lowestStrategy());
        assertEquals(0.5, dog.lowest(), 1e-12);
        assertEquals(
                List.of("freeze", "partial", "full"),
                List.copyOf(dog.accuracyByStrategy().keySet()));
        ClassDifferences.ClassDifference cat = top.get(1);
        assertEquals("cat", cat.className());
        assertEquals("partial", cat.highestStrategy());
        assertEquals("freeze", cat.lowestStrategy(), "freeze and full tie at 0.8: the first given");
        assertEquals(3, ClassDifferences.largest(matrices, 10).size());
        assertEquals("bird", ClassDifferences.largest(matrices, 10).get(2).className());
        assertEquals(List.of(), ClassDifferences.largest(Map.of("full", matrices.get("full")), 3), "one strategy");

        Map<String, ConfusionMatrix> other = new LinkedHashMap<>(matrices);
        other.put("layer3", ConfusionMatrix.of(List.of("cat", "dog", "fish"), new long[3][3]));
        assertReason(() -> ClassDifferences.largest(other, 2), "strategy layer3 was evaluated on other classes");
    }

    private static void assertReason(org.junit.jupiter.api.function.Executable call, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
