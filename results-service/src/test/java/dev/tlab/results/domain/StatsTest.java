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

    @Test
    void summaryOfSample() {
        Stats.Summary one = Stats.summarize(List.of(0.5));
        assertEquals(0.5, one.mean());
        assertNull(one.std());
        Stats.Summary two = Stats.summarize(List.of(0.8, 0.9));
        assertEquals(0.85, two.mean(), 1e-12);
        assertEquals(Math.sqrt(0.005), two.std(), 1e-12);
        double half = 12.706204736174698 * Math.sqrt(0.005) / Math.sqrt(2);
        assertEquals(0.85 - half, two.ci95Low(), 1e-9);
        assertEquals(0.85 + half, two.ci95High(), 1e-9);
    }
}
