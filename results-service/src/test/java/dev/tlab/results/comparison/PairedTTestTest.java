package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedTTestTest {
    /**
     * scipy 1.10.1 (Debian python3-scipy): {@code stats.ttest_rel(A, B)} and the interval {@code d.mean() +/-
     * stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / sqrt(n)} with {@code d = A - B}.
     */
    @Test
    void matchesScipy() {
        PairedTTest t = PairedTTest.of(List.of(0.84, 0.86, 0.85), List.of(0.82, 0.83, 0.835));
        assertEquals(3, t.pairs());
        assertEquals(0.021666666666666685, t.meanDifference(), 1e-12);
        assertEquals(0.00763762615825974, t.std(), 1e-12);
        assertEquals(4.913538149119953, t.t(), 1e-9);
        assertEquals(0.03901234775905533, t.pValue(), 1e-9);
        assertEquals(0.0026937514979693405, t.ci95Low(), 1e-9);
        assertEquals(0.04063958183536403, t.ci95High(), 1e-9);

        PairedTTest weak = PairedTTest.of(List.of(0.84, 0.80, 0.86), List.of(0.83, 0.82, 0.84));
        assertEquals(0.27735009811261846, weak.t(), 1e-9);
        assertEquals(0.8075499102701221, weak.pValue(), 1e-9);
        assertEquals(-0.0483781167940339, weak.ci95Low(), 1e-9);
        assertEquals(0.05504478346070065, weak.ci95High(), 1e-9);

        PairedTTest negative = PairedTTest.of(List.of(0.80, 0.81, 0.79), List.of(0.83, 0.845, 0.815));
        assertEquals(-10.392304845413225, negative.t(), 1e-8);
        assertEquals(0.009132611386275523, negative.pValue(), 1e-9);
        assertEquals(-0.04242068855921869, negative.ci95Low(), 1e-9);
        assertEquals(-0.01757931144078114, negative.ci95High(), 1e-9);
    }

    /** scipy: t = inf, p = 0 for identical non-zero differences; NaN for all-zero ones, where we say p = 1. */
    @Test
    void identicalDifferences() {
        PairedTTest constant = PairedTTest.of(List.of(0.5, 0.75), List.of(0.25, 0.5));
        assertEquals(0.25, constant.meanDifference());
        assertEquals(0, constant.pValue());
        assertEquals(0.25, constant.ci95Low());
        assertEquals(0.25, constant.ci95High());
        assertEquals(Double.POSITIVE_INFINITY, constant.t());
        PairedTTest none = PairedTTest.of(List.of(0.5, 0.75), List.of(0.5, 0.75));
        assertEquals(1, none.pValue());
        assertEquals(0, none.t());
    }

    @Test
    void needsTwoPairs() {
        assertThrows(IllegalArgumentException.class, () -> PairedTTest.of(List.of(0.5), List.of(0.4)));
        assertThrows(IllegalArgumentException.class, () -> PairedTTest.of(List.of(0.5, 0.6), List.of(0.4)));
    }
}
