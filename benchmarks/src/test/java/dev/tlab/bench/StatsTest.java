package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[99 - i] = i + 1; // 100..1, unsorted on purpose
        }
        assertEquals(50, Stats.percentile(hundred, 50));
        assertEquals(99, Stats.percentile(hundred, 99));
        assertEquals(100, Stats.percentile(hundred, 100));
        assertEquals(1, Stats.percentile(hundred, 0));
        assertEquals(7, Stats.percentile(new double[] {7}, 99));
        assertEquals(20, Stats.percentile(new double[] {10, 20, 30, 40}, 50));
        assertEquals(40, Stats.percentile(new double[] {10, 20, 30, 40}, 99));
        assertTrue(Double.isNaN(Stats.percentile(new double[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(hundred, 101));
    }

    @Test
    void percentileDoesNotReorderTheInput() {
        double[] samples = {3, 1, 2};
        Stats.percentile(samples, 50);
        assertEquals(List.of(3.0, 1.0, 2.0), List.of(samples[0], samples[1], samples[2]));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, Stats.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    @Test
    void rateNeedsTime() {
        assertEquals(32, Stats.rate(64, 2));
        assertTrue(Double.isNaN(Stats.rate(64, 0)));
    }
}
