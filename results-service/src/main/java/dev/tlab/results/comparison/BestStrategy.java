package dev.tlab.results.comparison;

import dev.tlab.datafiles.Predictions;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether the leading strategy is really better than the runner-up, or the two are indistinguishable on this data.
 *
 * <p>The rule: rank the strategies by mean test accuracy over their completed seeds (the leaderboard's order), take the
 * leader and the runner-up, and pair them on the seeds both completed. The leader is named best ({@link Outcome#BEST})
 * only when the paired comparison favours it and its two-sided p is below {@value #LEVEL}:
 *
 * <ul>
 *   <li>with <b>two or more</b> shared seeds the {@link PairedTTest} of the per-seed accuracies decides (equivalently:
 *       its 95% interval of the difference excludes 0);
 *   <li>with <b>one</b> shared seed, {@link McNemar}'s exact test of that seed's per-image predictions decides;
 *   <li>with none (or one seed without both predictions files), nothing is claimed ({@link Outcome#UNTESTED}).
 * </ul>
 *
 * <p>Why the t-test, not McNemar, decides with several seeds: the question is whether a strategy is better on this
 * dataset, which includes training's randomness, and only the spread between seeds measures that; McNemar's test on one
 * seed only measures the test set's sampling noise for two fixed trained models. Nor are the seeds' McNemar p-values
 * combined (Fisher's or Stouffer's method): those assume independent tests, while every seed is scored on the same test
 * images, so their tests are correlated (the same hard images) and a combination would overstate the evidence. The
 * per-seed McNemar results are still reported. Only the leader and the runner-up are tested: "best" says nothing about
 * the order of the others.
 */
public final class BestStrategy {
    /** The two-sided significance level of the decision. */
    public static final double LEVEL = 0.05;

    private BestStrategy() {}

    /** A strategy's test accuracy per completed seed. */
    public record Accuracies(String strategy, Map<Long, Double> bySeed) {
        double mean() {
            return bySeed.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(Double.NaN);
        }
    }

    /** Where a job's per-image predictions are, when the trainer kept them. */
    @FunctionalInterface
    public interface PredictionSource {
        Optional<Predictions> find(String strategy, long seed);
    }

    public enum Outcome {
        /** No strategy has a result. */
        NO_RESULTS,
        /** One strategy has results: nothing to compare. */
        SINGLE_STRATEGY,
        /** The leader is significantly better than the runner-up. */
        BEST,
        /** The difference is not significant at {@link #LEVEL}. */
        INDISTINGUISHABLE,
        /** On the seeds both completed the runner-up is significantly better, though the leader's mean is higher. */
        SPLIT,
        /** No paired test was possible (no shared seed, or one without both predictions files). */
        UNTESTED
    }

    /** McNemar's test on one seed. */
    public record SeedTest(long seed, McNemar.Result result) {}

    /**
     * The decision and its evidence; {@code test} names what decided and {@code pValue} is its p (both null unless a
     * test ran); {@code text} is the sentence for the page, the command line and the report.
     */
    public record Verdict(
            Outcome outcome,
            String leader,
            String runnerUp,
            List<Long> pairedSeeds,
            String test,
            Double pValue,
            PairedTTest tTest,
            List<SeedTest> mcnemar,
            String text) {}

    public static Verdict decide(List<Accuracies> strategies, PredictionSource predictions) {
        List<Accuracies> ranked = new ArrayList<>(
                strategies.stream().filter(s -> !s.bySeed().isEmpty()).toList());
        if (ranked.isEmpty()) {
            return untested(Outcome.NO_RESULTS, null, null, List.of(), List.of(), "no strategy has a result yet");
        }
        ranked.sort(Comparator.comparingDouble(Accuracies::mean).reversed()); // stable: ties keep the given order
        Accuracies leader = ranked.get(0);
        if (ranked.size() == 1) {
            String text = "only " + leader.strategy() + " has a result: nothing to compare it with";
            return untested(Outcome.SINGLE_STRATEGY, leader.strategy(), null, List.of(), List.of(), text);
        }
        Accuracies runnerUp = ranked.get(1);
        TreeSet<Long> shared = new TreeSet<>(leader.bySeed().keySet());
        shared.retainAll(runnerUp.bySeed().keySet());
        List<Long> seeds = List.copyOf(shared);
        List<SeedTest> perSeed = new ArrayList<>();
        for (long seed : seeds) {
            Optional<Predictions> first = predictions.find(leader.strategy(), seed);
            Optional<Predictions> second = predictions.find(runnerUp.strategy(), seed);
            if (first.isPresent() && second.isPresent() && McNemar.testSetMismatch(first.get(), second.get()) == null) {
                perSeed.add(new SeedTest(seed, McNemar.compare(first.get(), second.get())));
            }
        }
        String a = leader.strategy();
        String b = runnerUp.strategy();
        if (seeds.size() >= 2) {
            PairedTTest t = PairedTTest.of(
                    seeds.stream().map(leader.bySeed()::get).toList(),
                    seeds.stream().map(runnerUp.bySeed()::get).toList());
            String test = "paired t-test over seeds " + join(seeds);
            String evidence = test + ": 95% CI " + points(t.ci95Low()) + " to " + points(t.ci95High()) + " points, "
                    + p(t.pValue());
            return verdict(a, b, seeds, test, t.pValue(), t.meanDifference(), t, perSeed, evidence);
        }
        if (seeds.size() == 1 && perSeed.size() == 1) {
            SeedTest only = perSeed.get(0);
            McNemar.Result r = only.result();
            String test = "McNemar's exact test on seed " + only.seed();
            String evidence = test + ": " + r.firstOnlyCorrect() + " images only " + a + " got right, "
                    + r.secondOnlyCorrect() + " only " + b + ", " + p(r.pValue());
            return verdict(a, b, seeds, test, r.pValue(), r.accuracyDifference(), null, perSeed, evidence);
        }
        String lead = a + " leads " + b + " by "
                + points(leader.mean() - runnerUp.mean()).substring(1) + " points";
        String why = seeds.isEmpty()
                ? "they share no seed, so no paired test can tell whether that is more than noise"
                : "seed " + seeds.get(0)
                        + " has no pair of per-image predictions on one test set, so no paired test ran";
        return untested(Outcome.UNTESTED, a, b, seeds, perSeed, lead + ", but " + why);
    }

    /** A verdict that no test decided. */
    private static Verdict untested(
            Outcome outcome, String leader, String runnerUp, List<Long> seeds, List<SeedTest> perSeed, String text) {
        return new Verdict(outcome, leader, runnerUp, seeds, null, null, null, perSeed, text);
    }

    private static Verdict verdict(
            String a,
            String b,
            List<Long> seeds,
            String test,
            double pValue,
            double difference,
            PairedTTest t,
            List<SeedTest> perSeed,
            String evidence) {
        if (pValue >= LEVEL) {
            String text = a + " and " + b + " are indistinguishable on this data (" + p(pValue) + ", " + test + ")";
            return new Verdict(Outcome.INDISTINGUISHABLE, a, b, seeds, test, pValue, t, perSeed, text);
        }
        if (difference > 0) {
            String text = "best: " + a + " (" + points(difference) + " points over " + b + "; " + evidence + ")";
            return new Verdict(Outcome.BEST, a, b, seeds, test, pValue, t, perSeed, text);
        }
        String text = b + " beats " + a + " on the seeds both completed (" + points(-difference) + " points; "
                + evidence + "), though " + a + " ranks first over all its seeds";
        return new Verdict(Outcome.SPLIT, a, b, seeds, test, pValue, t, perSeed, text);
    }

    /** A p-value with two significant digits, {@code p < 0.0001} below that. */
    static String p(double p) {
        if (p < 1e-4) {
            return "p < 0.0001";
        }
        return "p = "
                + new BigDecimal(p)
                        .round(new MathContext(2))
                        .stripTrailingZeros()
                        .toPlainString();
    }

    /** A difference of fractions in signed percentage points, two decimals ({@code +2.17}). */
    static String points(double difference) {
        return String.format(Locale.ROOT, "%+.2f", difference * 100);
    }

    private static String join(List<Long> seeds) {
        return String.join(", ", seeds.stream().map(String::valueOf).toList());
    }
}
