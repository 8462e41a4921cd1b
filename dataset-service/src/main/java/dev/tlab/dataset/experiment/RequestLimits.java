package dev.tlab.dataset.experiment;

import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.dataset.DatasetConfig;
import java.util.List;

/**
 * The documented bounds of one experiment (README, {@code tlab.dataset.limits.*}), so that one request cannot queue
 * unbounded work: a 12 KB request could otherwise ask for 300 strategies x 100 seeds = 30,000 jobs of 1,000 epochs at
 * 1,024 px. Each violation names the field and the key that sets the bound.
 */
public record RequestLimits(
        int maxJobs,
        int maxStrategies,
        int maxSeeds,
        int maxEpochs,
        int maxImageSize,
        int maxPatterns,
        int maxPatternLength) {

    public static RequestLimits of(DatasetConfig.Limits config) {
        return new RequestLimits(
                config.maxJobs(),
                config.maxStrategies(),
                config.maxSeeds(),
                config.maxEpochs(),
                config.maxImageSize(),
                config.maxPatterns(),
                config.maxPatternLength());
    }

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
                            + " (tlab.dataset.limits.max-jobs)");
        }
        atMost(request.hyperParameters().epochs(), maxEpochs, "hyperParameters.epochs", "epochs", "max-epochs");
        atMost(
                request.hyperParameters().imageSize(),
                maxImageSize,
                "hyperParameters.imageSize",
                "pixels",
                "max-image-size");
        for (int i = 0; i < strategies.size(); i++) {
            patterns(strategies.get(i).trainable(), "strategies[" + i + "].trainable");
        }
        patterns(request.hyperParameters().headPatterns(), "hyperParameters.headPatterns");
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

    private static void atMost(int value, int max, String field, String unit, String key) {
        if (value > max) {
            throw new InvalidFieldException(
                    field, "at most " + max + " " + unit + " (tlab.dataset.limits." + key + "), was " + value);
        }
    }
}
