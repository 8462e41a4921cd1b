package dev.tlab.cli;

import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.api.Views;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Show an experiment's progress live until every strategy has finished.",
            "Exits 1 when a strategy failed or the experiment failed as a whole (its reason on stderr), 7 when it"
                    + " was cancelled, 4 after --timeout."
        })
class WatchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Mixin
    ResultsOptions results;

    @Option(
            names = "--timeout",
            defaultValue = "PT24H",
            description = "Give up after this ISO-8601 duration (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Views.Experiment done = ExperimentWatcher.watch(
                results.client(),
                experimentId,
                1,
                timeout,
                new ProgressView(System.out, System.console() != null),
                () -> {});
        ExperimentWatcher.reportFailure(done, System.err);
        return ExperimentWatcher.exitCode(done);
    }
}
