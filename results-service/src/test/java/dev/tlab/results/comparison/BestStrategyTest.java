package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Predictions;
import dev.tlab.results.comparison.BestStrategy.Accuracies;
import dev.tlab.results.comparison.BestStrategy.Outcome;
import dev.tlab.results.comparison.BestStrategy.Verdict;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BestStrategyTest {
    private static final String TEST_SET = "aa".repeat(32);
    private static final BestStrategy.PredictionSource NONE = (strategy, seed) -> Optional.empty();
    /** Every seed: 1,000 images, 800 right under both, 60 only under full, 40 only under partial. */
    private static final BestStrategy.PredictionSource SIXTY_AGAINST_FORTY =
            (strategy, seed) -> Optional.of(predictions(1_000, 800, 60, 40, strategy.equals("full")));

    private static Accuracies accuracies(String strategy, double... bySeed) {
        Map<Long, Double> map = new LinkedHashMap<>();
        for (int seed = 0; seed < bySeed.length; seed++) {
            map.put((long) seed, bySeed[seed]);
        }
        return new Accuracies(strategy, map);
    }

    /** Paired t over three seeds (values of PairedTTestTest, from scipy): p = 0.039 < 0.05. */
    @Test
    void severalSeedsThePairedTTestNamesTheBest() {
        Verdict v = BestStrategy.decide(
                List.of(
                        accuracies("freeze", 0.70, 0.71, 0.72),
                        accuracies("partial", 0.82, 0.83, 0.835),
                        accuracies("full", 0.84, 0.86, 0.85)),
                NONE);
        assertEquals(Outcome.BEST, v.outcome());
        assertEquals("full", v.leader());
        assertEquals("partial", v.runnerUp());
        assertEquals(List.of(0L, 1L, 2L), v.pairedSeeds());
        assertEquals(0.03901234775905533, v.pValue(), 1e-9);
        assertEquals(
                "best: full (+2.17 points over partial; paired t-test over seeds 0, 1, 2: 95% CI +0.27 to +4.06 points,"
                        + " p = 0.039)",
                v.text());
    }

    @Test
    void severalSeedsWithoutASignificantDifference() {
        Verdict v = BestStrategy.decide(
                List.of(accuracies("partial", 0.83, 0.82, 0.84), accuracies("full", 0.84, 0.80, 0.86)), NONE);
        assertEquals(Outcome.INDISTINGUISHABLE, v.outcome());
        assertEquals(0.8075499102701221, v.pValue(), 1e-9);
        assertEquals(
                "full and partial are indistinguishable on this data (p = 0.81, paired t-test over seeds 0, 1, 2)",
                v.text());
    }

    /**
     * Full's mean is higher only thanks to a seed partial never finished; on the three shared seeds partial is better
     * (t = -10.39, p = 0.0091, scipy): the verdict says so instead of naming either best or calling them equal.
     */
    @Test
    void theSharedSeedsDisagreeWithTheRanking() {
        Verdict v = BestStrategy.decide(
                List.of(accuracies("full", 0.80, 0.81, 0.79, 0.99), accuracies("partial", 0.83, 0.845, 0.815)), NONE);
        assertEquals(Outcome.SPLIT, v.outcome());
        assertEquals("full", v.leader());
        assertEquals(List.of(0L, 1L, 2L), v.pairedSeeds());
        assertEquals(0.009132611386275523, v.pValue(), 1e-9);
        assertTrue(
                v.text().startsWith("partial beats full on the seeds both completed (+3.00 points; paired t-test"),
                v.text());
        assertTrue(v.text().endsWith("though full ranks first over all its seeds"), v.text());
    }

    /**
     * One seed: McNemar's exact test on the per-image predictions decides. 2,000 images, 1,000 right under both, 550
     * only under full, 450 only under partial: p = 0.0017305 (statsmodels, McNemarTest).
     */
    @Test
    void oneSeedMcNemarDecides() {
        Map<String, Predictions> files = new HashMap<>();
        files.put("full", predictions(2_000, 1_000, 550, 450, true));
        files.put("partial", predictions(2_000, 1_000, 550, 450, false));
        Verdict v = BestStrategy.decide(
                List.of(accuracies("partial", 0.725), accuracies("full", 0.775)),
                (strategy, seed) -> Optional.ofNullable(seed == 0 ? files.get(strategy) : null));
        assertEquals(Outcome.BEST, v.outcome());
        assertEquals("McNemar's exact test on seed 0", v.test());
        assertEquals(0.0017305360849763024, v.pValue(), 1e-12);
        assertNull(v.tTest());
        assertEquals(550, v.mcnemar().get(0).result().firstOnlyCorrect());
        assertEquals(
                "best: full (+5.00 points over partial; McNemar's exact test on seed 0: 550 images only full got right,"
                        + " 450 only partial, p = 0.0017)",
                v.text());
    }

    /** 1,000 images, b = 60, c = 40: p = 0.0569 (statsmodels) is not below 0.05. */
    @Test
    void oneSeedWithoutASignificantDifference() {
        Verdict v = BestStrategy.decide(
                List.of(accuracies("full", 0.86), accuracies("partial", 0.84)), SIXTY_AGAINST_FORTY);
        assertEquals(Outcome.INDISTINGUISHABLE, v.outcome());
        assertEquals(
                "full and partial are indistinguishable on this data (p = 0.057, McNemar's exact test on seed 0)",
                v.text());
    }

    /** With several seeds the t-test decides, and each seed's McNemar result is reported beside it. */
    @Test
    void severalSeedsReportEachSeedsMcNemarToo() {
        Verdict v = BestStrategy.decide(
                List.of(accuracies("partial", 0.82, 0.83, 0.835), accuracies("full", 0.84, 0.86, 0.85)),
                SIXTY_AGAINST_FORTY);
        assertEquals(Outcome.BEST, v.outcome());
        assertTrue(v.test().startsWith("paired t-test"));
        assertEquals(
                List.of(0L, 1L, 2L),
                v.mcnemar().stream().map(BestStrategy.SeedTest::seed).toList());
    }

    @Test
    void nothingIsClaimedWithoutAPairedTest() {
        Verdict disjoint =
                BestStrategy.decide(List.of(accuracies("full", 0.9), new Accuracies("partial", Map.of(7L, 0.8))), NONE);
        assertEquals(Outcome.UNTESTED, disjoint.outcome());
        assertEquals(
                "full leads partial by 10.00 points, but they share no seed, so no paired test can tell whether that is"
                        + " more than noise",
                disjoint.text());

        Verdict missing = BestStrategy.decide(List.of(accuracies("full", 0.9), accuracies("partial", 0.8)), NONE);
        assertEquals(Outcome.UNTESTED, missing.outcome());
        assertTrue(missing.text().contains("seed 0 has no pair of per-image predictions"), missing.text());

        Predictions a = predictions(1_000, 800, 60, 40, true);
        Predictions otherTestSet = Predictions.of(2, "bb".repeat(32), new int[1_000], new int[1_000]);
        Verdict mismatch = BestStrategy.decide(
                List.of(accuracies("full", 0.9), accuracies("partial", 0.8)),
                (strategy, seed) -> Optional.of(strategy.equals("full") ? a : otherTestSet));
        assertEquals(Outcome.UNTESTED, mismatch.outcome(), "predictions on different test sets are not paired");
        assertNull(mismatch.pValue());
    }

    @Test
    void noneOrOneStrategy() {
        assertEquals(
                Outcome.NO_RESULTS,
                BestStrategy.decide(List.of(new Accuracies("full", Map.of())), NONE)
                        .outcome());
        Verdict one = BestStrategy.decide(List.of(accuracies("full", 0.9), new Accuracies("partial", Map.of())), NONE);
        assertEquals(Outcome.SINGLE_STRATEGY, one.outcome());
        assertEquals("only full has a result: nothing to compare it with", one.text());
    }

    @Test
    void pValuesWithTwoSignificantDigits() {
        assertEquals("p = 0.057", BestStrategy.p(0.057373046875));
        assertEquals("p = 1", BestStrategy.p(1.0));
        assertEquals("p = 1", BestStrategy.p(0.9999999999999964));
        assertEquals("p = 0.00017", BestStrategy.p(0.000171));
        assertEquals("p < 0.0001", BestStrategy.p(6.593515598672341e-05));
    }

    /**
     * Two strategies' predictions on {@code images} images of two classes (all labels 0): {@code both} right under
     * both, {@code onlyFirst} right only under the first, {@code onlySecond} only under the second, the rest wrong.
     */
    private static Predictions predictions(int images, int both, int onlyFirst, int onlySecond, boolean first) {
        int[] labels = new int[images];
        int[] predicted = new int[images];
        for (int i = 0; i < images; i++) {
            boolean right;
            if (i < both) {
                right = true;
            } else if (i < both + onlyFirst) {
                right = first;
            } else if (i < both + onlyFirst + onlySecond) {
                right = !first;
            } else {
                right = false;
            }
            predicted[i] = right ? 0 : 1;
        }
        return Predictions.of(2, TEST_SET, labels, predicted);
    }
}
