package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The peak is cores x frequency x FLOP per cycle, each read from /proc/cpuinfo (and cpufreq) as documented. */
class PeakFlopsTest {

    private static final String ZEN3 = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\ncpu MHz\t\t: 2450.000\n"
            + "flags\t\t: fpu sse sse2 avx fma avx2 bmi2\nprocessor\t: 1\n";
    private static final String XEON = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\n"
            + "cpu MHz\t\t: 1000.000\nflags\t\t: fpu sse avx fma avx2 avx512f avx512bw\n";

    @Test
    void twoZen3CoresAtTheirClockPeakAt157GflopsAsIssue30Says() {
        PeakFlops p = PeakFlops.of(ZEN3, "", 2, 2);
        assertEquals(32, p.flopsPerCycle());
        assertEquals("cpu MHz", p.frequencySource());
        assertEquals(156.8, p.gflopsPerSecond(), 1e-9);
    }

    @Test
    void avx512TakesTheNominalClockOfTheModelNameOverTheMomentaryOneAndCpufreqOverBoth() {
        PeakFlops nominal = PeakFlops.of(XEON, "", 2, 40);
        assertEquals(64, nominal.flopsPerCycle());
        assertEquals(2 * 2.4 * 64, nominal.gflopsPerSecond(), 1e-9);
        PeakFlops max = PeakFlops.of(XEON, "3700000\n", 2, 40);
        assertEquals("cpufreq cpuinfo_max_freq", max.frequencySource());
        assertEquals(2 * 3.7 * 64, max.gflopsPerSecond(), 1e-9);
    }

    @Test
    void coresAreTheTrainingThreadsButNeverMoreThanTheProcessors() {
        assertEquals(1, PeakFlops.of(ZEN3, "", 2, 1).cores());
        assertEquals(2, PeakFlops.of(ZEN3, "", 2, 64).cores());
    }

    @Test
    void olderVectorUnitsHaveFewerFlopsPerCycleAndNoFrequencyIsAnError() {
        assertEquals(
                16, PeakFlops.of("cpu MHz : 2000\nflags : sse avx\n", "", 2, 2).flopsPerCycle());
        assertEquals(
                8, PeakFlops.of("cpu MHz : 2000\nflags : sse sse2\n", "", 2, 2).flopsPerCycle());
        assertThrows(IllegalArgumentException.class, () -> PeakFlops.of("flags : avx2 fma\n", "", 2, 2));
    }

    @Test
    void aTrainingImageCountsTwoFlopsPerMultiplyAddOfTheForwardAndOfEachGradientAutogradComputes() {
        // ResNet-18 at 224 px, full: 1.814 GMAC forward, input gradients of all but conv1, weight gradients of all
        double flops = PeakFlops.trainingFlops(1_814_083_944L, 1_696_069_992L, 1_814_083_944L);
        assertEquals(10.65, flops / 1e9, 0.01);
        PeakFlops p = PeakFlops.of(ZEN3, "", 2, 2);
        // 7.6 img/s of full training on two Zen 3 cores
        assertEquals(0.516, p.fraction(7.6, flops), 0.001);
    }
}
