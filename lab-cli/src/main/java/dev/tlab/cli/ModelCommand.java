package dev.tlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab model ID [--strategy S] [--seed N] -o FILE}: the fine-tuned model to take home, digest verified. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Download an experiment's fine-tuned model (TorchScript: DJL, or torch.jit.load) and verify its "
                + "sha256 against the one its trainer reported.",
                "Default: the best model (the best strategy's best seed); --strategy and --seed pick another."})
class ModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Option(names = "--strategy", description = "The strategy's best model instead of the overall best.")
    String strategy;

    @Option(names = "--seed", description = "The run of this seed (with --strategy, or of the best strategy).")
    Long seed;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the model.")
    Path output;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        Optional<JsonNode> found = results.client().models(experimentId);
        if (found.isEmpty()) {
            System.err.println("no experiment " + experimentId + " at " + results.resultsUrl);
            return ExitCodes.EXPERIMENT_FAILED;
        }
        JsonNode chosen = choose(found.get());
        if (chosen == null) {
            System.err.println("experiment " + experimentId + " has no kept model"
                    + (strategy == null ? "" : " of strategy " + strategy) + (seed == null ? "" : " with seed " + seed)
                    + "; kept: " + describe(found.get().path("models")));
            return ExitCodes.EXPERIMENT_FAILED;
        }
        String sha256;
        try {
            sha256 = results.client().download(chosen.path("href").asText(), chosen.path("sha256").asText(), output);
        } catch (IllegalStateException e) {
            System.err.println("model: " + e.getMessage());
            return ExitCodes.EXPERIMENT_FAILED;
        }
        System.out.printf("%s  %s%n", sha256, output);
        System.out.printf("strategy %s, seed %d, test accuracy %.2f%%, job %s (sha256 verified)%n",
                chosen.path("strategy").asText(), chosen.path("seed").asLong(),
                chosen.path("testAccuracy").asDouble() * 100, chosen.path("jobId").asText());
        return ExitCodes.OK;
    }

    /** The models arrive best first: the first that matches the filters is the one. */
    private JsonNode choose(JsonNode list) {
        String wanted = strategy != null ? strategy : seed != null && list.path("best").isObject()
                ? list.path("best").path("strategy").asText() : null;
        for (JsonNode m : list.path("models")) {
            if ((wanted == null || wanted.equals(m.path("strategy").asText()))
                    && (seed == null || seed == m.path("seed").asLong())) {
                return m;
            }
        }
        return null;
    }

    private static String describe(JsonNode models) {
        List<String> kept = new ArrayList<>();
        models.forEach(m -> kept.add(m.path("strategy").asText() + " seed " + m.path("seed").asLong()));
        return kept.isEmpty() ? "none" : String.join(", ", kept);
    }
}
