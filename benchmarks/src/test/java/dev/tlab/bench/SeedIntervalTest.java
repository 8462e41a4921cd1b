package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedIntervalTest {

    @Test
    void theIntervalOfThreeSeedsIsTheResultsServicesOne() {
        // docs/benchmarks.md, accuracy cost of bf16: freeze fp32 53.2, 55.8, 57.2 -> 55.40%, 50.36-60.44%
        SeedInterval i = SeedInterval.of(0.532, 0.558, 0.572);
        assertEquals(0.5540, i.mean(), 1e-9);
        assertEquals(0.5036, i.low(), 5e-5);
        assertEquals(0.6044, i.high(), 5e-5);
        assertEquals(3, i.seeds());
    }

    @Test
    void unchangedMeansEachMeanInsideTheOthersInterval() {
        SeedInterval contiguous = SeedInterval.of(0.532, 0.558, 0.572);
        assertTrue(SeedInterval.unchanged(contiguous, SeedInterval.of(0.550, 0.578, 0.558)));
        assertFalse(SeedInterval.unchanged(contiguous, SeedInterval.of(0.40, 0.41, 0.42)), "ten points lower");
        // a tight interval far from the other's mean: only one of the two means is inside
        assertFalse(SeedInterval.unchanged(contiguous, SeedInterval.of(0.600, 0.601, 0.602)));
        assertTrue(SeedInterval.unchanged(SeedInterval.of(0.5, 0.5, 0.5), SeedInterval.of(0.5, 0.5, 0.5)), "equal");
        assertFalse(SeedInterval.unchanged(SeedInterval.of(0.5), SeedInterval.of(0.5)), "one seed has no interval");
    }
}
