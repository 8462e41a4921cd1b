package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Predictions;
import org.junit.jupiter.api.Test;

class McNemarTest {
    private static final String TEST_SET = "0f".repeat(32);

    /**
     * Expected p-values from statsmodels 0.13.5 (Debian python3-statsmodels): {@code mcnemar(np.array([[100, b], [c,
     * 100]]), exact=True).pvalue} (the concordant cells do not matter).
     */
    @Test
    void exactPValuesMatchStatsmodels() {
        Object[][] cases = {
            {3L, 11L, 0.057373046875},
            {0L, 0L, 1.0},
            {5L, 5L, 1.0},
            {0L, 100L, 1.5777218104420236e-30},
            {1L, 9L, 0.021484375},
            {40L, 60L, 0.05688793364098088},
            {450L, 550L, 0.0017305360849763024},
            {4800L, 5200L, 6.593515598672341e-05},
            {7L, 0L, 0.015625},
        };
        for (Object[] c : cases) {
            long b = (Long) c[0];
            long cc = (Long) c[1];
            double expected = (Double) c[2];
            McNemar.Result r = McNemar.exact(b, cc);
            assertEquals(expected, r.pValue(), expected * 1e-9, "b=" + b + ", c=" + cc);
            assertEquals(r.pValue(), McNemar.exact(cc, b).pValue(), 0, "symmetric in b and c");
        }
        assertThrows(IllegalArgumentException.class, () -> McNemar.exact(-1, 3));
    }

    /** Ten images: by hand, b = 3 (images 1, 4, 7), c = 1 (image 8); binom.cdf(1, 4, 0.5) * 2 = 5/16 * 2 = 0.625. */
    @Test
    void pairsTwoEvaluationsImageByImage() {
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        Predictions first = Predictions.of(3, TEST_SET, labels, new int[] {0, 1, 2, 1, 1, 0, 0, 1, 0, 0});
        Predictions second = Predictions.of(3, TEST_SET, labels, new int[] {0, 0, 2, 1, 0, 0, 0, 0, 2, 0});
        McNemar.Result r = McNemar.compare(first, second);
        assertEquals(3, r.firstOnlyCorrect());
        assertEquals(1, r.secondOnlyCorrect());
        assertEquals(10, r.images());
        assertEquals(0.625, r.pValue(), 1e-12);
        assertEquals((7 - 5) / 10.0, r.accuracyDifference(), 1e-12, "first 7/10 right, second 5/10");
        assertNull(McNemar.exact(3, 1).accuracyDifference());
    }

    @Test
    void neverPairsDifferentTestSets() {
        int[] labels = {0, 1, 2};
        Predictions first = Predictions.of(3, TEST_SET, labels, labels);
        assertReason(first, Predictions.of(3, "1f".repeat(32), labels, labels), "test digests");
        assertReason(first, Predictions.of(3, TEST_SET, new int[] {0, 1}, new int[] {0, 1}), "3 images of 3 classes");
        assertReason(first, Predictions.of(3, TEST_SET, new int[] {0, 2, 2}, labels), "true class of image 1 differs");
    }

    private static void assertReason(Predictions first, Predictions second, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> McNemar.compare(first, second));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
