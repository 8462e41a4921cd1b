package dev.tlab.contracts;

import java.util.List;

/**
 * The documented bounds of one request, so that one request cannot queue unbounded work: a 12 KB request could
 * otherwise ask for 300 strategies x 100 seeds = 30,000 jobs of 1,000 epochs at 1,024 px, and a plan request for a
 * thousand strategies of long patterns. One rule for both places that take requests: the dataset service's experiments
 * ({@code tlab.dataset.limits.*}) and the trainer's {@code POST /plan} ({@code tlab.trainer.limits.*}, the strategies
 * and patterns a plan carries). Each violation names the field and the key that sets the bound.
 *
 * @param keyPrefix the configuration prefix named in refusals, e.g. {@code tlab.dataset.limits}
 */
public record RequestLimits(
        String keyPrefix,
        int maxJobs,
        int maxStrategies,
        int maxSeeds,
        int maxEpochs,
        int maxImageSize,
        int maxPatterns,
        int maxPatternLength) {

    /** The bounds every service documents as its defaults. */
    public static RequestLimits defaults(String keyPrefix) {
        return new RequestLimits(keyPrefix, 64, 16, 16, 100, 512, 32, 128);
    }

    /** An experiment: strategies, seeds and jobs, epochs, image size, patterns. */
    public void check(ExperimentRequested request) {
        List<StrategySpec> strategies = request.strategies();
        atMost(strategies.size(), maxStrategies, "strategies", "strategies", "max-strategies");
        atMost(request.seeds().size(), maxSeeds, "seeds", "seeds", "max-seeds");
        int jobs = strategies.size() * request.seeds().size();
        if (jobs > maxJobs) {
            throw new InvalidFieldException(
                    "strategies",
                    strategies.size() + " strategies x " + request.seeds().size()
                            + " seeds = " + jobs + " jobs; at most " + maxJobs + " jobs per experiment"
                            + " (" + keyPrefix + ".max-jobs)");
        }
        atMost(request.hyperParameters().epochs(), maxEpochs, "hyperParameters.epochs", "epochs", "max-epochs");
        atMost(
                request.hyperParameters().imageSize(),
                maxImageSize,
                "hyperParameters.imageSize",
                "pixels",
                "max-image-size");
        patterns(strategies, "strategies", request.hyperParameters().headPatterns(), "hyperParameters.headPatterns");
    }

    /** A plan: its strategies and their patterns, its head patterns (fields as the plan request names them). */
    public void check(PlanRequest request) {
        atMost(request.strategies().size(), maxStrategies, "strategies", "strategies", "max-strategies");
        patterns(request.strategies(), "strategies", request.headPatterns(), "headPatterns");
    }

    private void patterns(List<StrategySpec> strategies, String strategiesField, List<String> head, String headField) {
        for (int i = 0; i < strategies.size(); i++) {
            patterns(strategies.get(i).trainable(), strategiesField + "[" + i + "].trainable");
        }
        patterns(head, headField);
    }

    private void patterns(List<String> patterns, String field) {
        atMost(patterns.size(), maxPatterns, field, "patterns", "max-patterns");
        for (int j = 0; j < patterns.size(); j++) {
            atMost(
                    patterns.get(j).length(),
                    maxPatternLength,
                    field + "[" + j + "]",
                    "characters",
                    "max-pattern-length");
        }
    }

    private void atMost(int value, int max, String field, String unit, String key) {
        if (value > max) {
            throw new InvalidFieldException(
                    field, "at most " + max + " " + unit + " (" + keyPrefix + "." + key + "), was " + value);
        }
    }
}
