package dev.tlab.cli;

import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.api.Views;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Polls the results service until every strategy of an experiment has completed, failed or been cancelled, or the
 * experiment as a whole failed or was cancelled.
 */
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
        if (experiment.failure() != null) {
            return true; // the dataset service failed it after it accepted it: no (further) job will come
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

    /** The exit code of a finished experiment: cancelled, failed as a whole or in a strategy, or done. */
    static int exitCode(Views.Experiment experiment) {
        if ("cancelled".equals(experiment.state())) {
            return ExitCodes.CANCELLED;
        }
        return experiment.failure() != null || anyFailed(experiment) ? ExitCodes.EXPERIMENT_FAILED : ExitCodes.OK;
    }

    /** Says why, when the dataset service failed the experiment after it accepted it. */
    static void reportFailure(Views.Experiment experiment, PrintStream err) {
        Views.Failure failure = experiment.failure();
        if (failure != null) {
            err.println("experiment " + experiment.experimentId() + " failed"
                    + ("$".equals(failure.field()) ? "" : " (" + failure.field() + ")") + ": " + failure.reason());
        }
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
