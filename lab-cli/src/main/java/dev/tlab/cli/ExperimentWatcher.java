package dev.tlab.cli;

import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.api.Views;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/** Polls the results service until every strategy of an experiment has completed, failed or been cancelled. */
final class ExperimentWatcher {
    private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");

    private ExperimentWatcher() {}

    /**
     * @param stackCheck called on every poll; throws when what runs the experiment cannot go on (e.g. the local stack
     *     lost its results service), with what to look at
     */
    static Views.Experiment watch(
            ResultsClient results,
            UUID experimentId,
            int expectedStrategies,
            Duration timeout,
            ProgressView view,
            Runnable stackCheck)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Views.Experiment> experiment = results.experiment(experimentId);
            if (experiment.isPresent()) {
                view.show(experiment.get());
                if (finished(experiment.get(), expectedStrategies)) {
                    return experiment.get();
                }
            }
            stackCheck.run();
            Thread.sleep(1000);
        }
        throw new TimeoutException("experiment " + experimentId + " did not finish within " + timeout);
    }

    static boolean finished(Views.Experiment experiment, int expectedStrategies) {
        if ("cancelled".equals(experiment.state())) {
            return true; // also one cancelled before any job was published
        }
        List<Views.Strategy> strategies = experiment.strategies();
        if (strategies.size() < Math.max(1, expectedStrategies)) {
            return false;
        }
        for (Views.Strategy strategy : strategies) {
            if (!FINISHED.contains(strategy.state())) {
                return false;
            }
        }
        return true;
    }

    /** The exit code of a finished experiment: cancelled, a strategy failed, or done. */
    static int exitCode(Views.Experiment experiment) {
        if ("cancelled".equals(experiment.state())) {
            return ExitCodes.CANCELLED;
        }
        return anyFailed(experiment) ? ExitCodes.EXPERIMENT_FAILED : ExitCodes.OK;
    }

    static boolean anyFailed(Views.Experiment experiment) {
        for (Views.Strategy strategy : experiment.strategies()) {
            if ("failed".equals(strategy.state())) {
                return true;
            }
        }
        return false;
    }
}
