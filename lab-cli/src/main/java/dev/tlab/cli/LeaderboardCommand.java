package dev.tlab.cli;

import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "leaderboard",
        mixinStandardHelpOptions = true,
        description = "Print an experiment's strategies ranked by test accuracy, and the best one.")
class LeaderboardCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Mixin
    ResultsOptions results;

    @Option(names = "--json", description = "Print the results service's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Optional<Views.Leaderboard> leaderboard = results.client().leaderboard(experimentId);
        if (leaderboard.isEmpty()) {
            System.err.println("no experiment " + experimentId + " at " + results.resultsUrl);
            return ExitCodes.EXPERIMENT_FAILED;
        }
        System.out.print(
                json
                        ? EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(leaderboard.get())
                                + "\n"
                        : LeaderboardTable.render(leaderboard.get()));
        return ExitCodes.OK;
    }
}
