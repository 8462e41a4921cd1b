package dev.tlab.cli;

import dev.tlab.cli.client.ExperimentCanceller;
import dev.tlab.cli.client.ServiceAnswer;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.api.Views;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab cancel ID}: DELETE /experiments/{id} on the dataset service, optionally waiting until every job stopped.
 */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancel an experiment: its queued jobs are skipped, its running jobs stop at the next batch and "
                    + "report 'cancelled'; the leaderboard and the page show it. Cancelling twice changes nothing."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:cancelled (with --wait: every job has stopped)",
            "1:no such experiment",
            "2:bad usage, or the trigger token is missing or wrong",
            "3:the dataset service or the broker behind it (with --wait also the results service) is unreachable",
            "4:--wait timed out",
            "130:interrupted"
        })
class CancelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Mixin
    DatasetServiceOptions service;

    @Option(names = "--reason", description = "Why, shown on the leaderboard and the page (at most 500 characters).")
    String reason;

    @Option(names = "--wait", description = "Wait until every job of the experiment has stopped.")
    boolean await;

    @Mixin
    ResultsOptions results;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "With --wait: give up after this ISO-8601 duration (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        ServiceAnswer answer =
                new ExperimentCanceller(service.datasetUrl, service.triggerToken()).cancel(experimentId, reason);
        switch (answer.status()) {
            case 202 -> {
                boolean before = answer.body().path("alreadyCancelled").asBoolean();
                System.out.printf(
                        "experiment %s %s: %s%n",
                        experimentId,
                        before ? "was already cancelled" : "cancelled",
                        answer.body().path("reason").asText());
            }
            case 404 -> {
                System.err.println("no experiment " + experimentId + ": " + answer.reason());
                return ExitCodes.EXPERIMENT_FAILED;
            }
            case 400, 401, 403 -> {
                System.err.println("refused (" + answer.status() + "): "
                        + answer.field() + ": "
                        + answer.reason()
                        + (answer.status() == 401 ? " (give --token or --token-file, or set TLAB_TRIGGER_TOKEN)" : ""));
                return ExitCodes.USAGE;
            }
            default -> {
                System.err.println(
                        "the dataset service could not cancel (" + answer.status() + "): " + answer.reason());
                return ExitCodes.UNREACHABLE;
            }
        }
        if (!await) {
            return ExitCodes.OK;
        }
        Views.Experiment done = ExperimentWatcher.watch(
                results.client(),
                experimentId,
                0,
                timeout,
                new ProgressView(System.out, System.console() != null),
                () -> {});
        System.out.println("experiment " + experimentId + ": " + done.state());
        return ExitCodes.OK;
    }
}
