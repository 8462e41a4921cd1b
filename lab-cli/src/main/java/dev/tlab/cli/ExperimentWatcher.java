package dev.tlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.view.ProgressView;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Polls the results service until every strategy of an experiment has completed or failed. */
final class ExperimentWatcher {
    private static final Set<String> FINISHED = Set.of("completed", "failed");

    private ExperimentWatcher() {
    }

    static JsonNode watch(ResultsClient results, UUID experimentId, int expectedStrategies, Duration timeout,
            ProgressView view, BooleanSupplier stillRunning) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> experiment = results.experiment(experimentId);
            if (experiment.isPresent()) {
                view.show(experiment.get());
                if (finished(experiment.get(), expectedStrategies)) {
                    return experiment.get();
                }
            }
            if (!stillRunning.getAsBoolean()) {
                throw new IllegalStateException("a service of the local stack stopped; see the logs under .lab/logs");
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("experiment " + experimentId + " did not finish within " + timeout);
    }

    static boolean finished(JsonNode experiment, int expectedStrategies) {
        JsonNode strategies = experiment.path("strategies");
        if (strategies.size() < Math.max(1, expectedStrategies)) {
            return false;
        }
        for (JsonNode strategy : strategies) {
            if (!FINISHED.contains(strategy.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    static boolean anyFailed(JsonNode experiment) {
        for (JsonNode strategy : experiment.path("strategies")) {
            if ("failed".equals(strategy.path("state").asText())) {
                return true;
            }
        }
        return false;
    }
}
