package dev.tlab.cli;

import dev.tlab.contracts.api.Views;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab model ID [--strategy S] [--seed N] -o FILE}: the fine-tuned model to take home, digest verified. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = {
            "Download an experiment's fine-tuned model (TorchScript: DJL, or torch.jit.load) and verify its "
                    + "sha256 against the one its trainer reported.",
            "Default: the best model (the best strategy's best seed); --strategy and --seed pick another."
        })
class ModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Option(names = "--strategy", description = "The strategy's best model instead of the overall best.")
    String strategy;

    @Option(names = "--seed", description = "The run of this seed (with --strategy, or of the best strategy).")
    Long seed;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "Where to write the model.")
    Path output;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        Optional<Views.Models> found = results.client().models(experimentId);
        if (found.isEmpty()) {
            System.err.println("no experiment " + experimentId + " at " + results.resultsUrl);
            return ExitCodes.EXPERIMENT_FAILED;
        }
        Views.ModelEntry chosen = choose(found.get());
        if (chosen == null) {
            System.err.println("experiment " + experimentId + " has no kept model"
                    + (strategy == null ? "" : " of strategy " + strategy) + (seed == null ? "" : " with seed " + seed)
                    + "; kept: " + describe(found.get().models()));
            return ExitCodes.EXPERIMENT_FAILED;
        }
        String sha256;
        try {
            sha256 = results.client().download(chosen.href(), chosen.sha256(), output);
        } catch (IllegalStateException e) {
            System.err.println("model: " + e.getMessage());
            return ExitCodes.EXPERIMENT_FAILED;
        }
        System.out.printf("%s  %s%n", sha256, output);
        System.out.printf(
                "strategy %s, seed %d, test accuracy %.2f%%, job %s (sha256 verified)%n",
                chosen.strategy(), chosen.seed(), chosen.testAccuracy() * 100, chosen.jobId());
        return ExitCodes.OK;
    }

    /** The models arrive best first: the first that matches the filters is the one. */
    private Views.ModelEntry choose(Views.Models list) {
        String wanted = strategy != null
                ? strategy
                : seed != null && list.best() != null ? list.best().strategy() : null;
        return list.models().stream()
                .filter(m -> (wanted == null || wanted.equals(m.strategy())) && (seed == null || seed == m.seed()))
                .findFirst()
                .orElse(null);
    }

    private static String describe(List<Views.ModelEntry> models) {
        List<String> kept =
                models.stream().map(m -> m.strategy() + " seed " + m.seed()).toList();
        return kept.isEmpty() ? "none" : String.join(", ", kept);
    }
}
