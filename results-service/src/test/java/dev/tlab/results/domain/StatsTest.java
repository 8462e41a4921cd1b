package dev.tlab.results.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void studentTQuantilesMatchTables() {
        assertEquals(12.7062, Stats.tQuantile(0.975, 1), 1e-4);
        assertEquals(4.3027, Stats.tQuantile(0.975, 2), 1e-4);
        assertEquals(2.7764, Stats.tQuantile(0.975, 4), 1e-4);
        assertEquals(2.2622, Stats.tQuantile(0.975, 9), 1e-4);
        assertEquals(2.0423, Stats.tQuantile(0.975, 30), 1e-4);
        assertEquals(1.9840, Stats.tQuantile(0.975, 100), 1e-4);
        assertEquals(0.5, Stats.tCdf(0, 5), 1e-12);
    }

    /** scipy 1.10.1: stats.t.ppf(0.975, [1, 2, 3, 4, 9, 30, 100]) and stats.t.cdf(-4.913538149119953, 2). */
    @Test
    void studentTMatchesScipy() {
        int[] df = {1, 2, 3, 4, 9, 30, 100};
        double[] quantiles = {
            12.706204736432095,
            4.302652729911275,
            3.182446305284263,
            2.7764451051977987,
            2.2621571627409915,
            2.0422724563012373,
            1.9839715184496334
        };
        for (int i = 0; i < df.length; i++) {
            assertEquals(quantiles[i], Stats.tQuantile(0.975, df[i]), 1e-9, "df " + df[i]);
        }
        // df 1 is Cauchy: tan(0.475 pi) = 12.7062047361747046 (mpmath, 30 digits); scipy's t.ppf is 2.6e-10 off there
        assertEquals(Math.tan(0.475 * Math.PI), Stats.tQuantile(0.975, 1), 1e-12);
        assertEquals(0.03901234775905533 / 2, Stats.tCdf(-4.913538149119953, 2), 1e-12);
    }

    @Test
    void summaryOfSample() {
        Stats.Summary one = Stats.summarize(List.of(0.5));
        assertEquals(0.5, one.mean());
        assertNull(one.std());
        Stats.Summary two = Stats.summarize(List.of(0.8, 0.9));
        assertEquals(0.85, two.mean(), 1e-12);
        assertEquals(Math.sqrt(0.005), two.std(), 1e-12);
        double half = Math.tan(0.475 * Math.PI) * Math.sqrt(0.005) / Math.sqrt(2); // t(0.975, 1): Cauchy's quantile
        assertEquals(0.85 - half, two.ci95Low(), 1e-9);
        assertEquals(0.85 + half, two.ci95High(), 1e-9);
    }
}
