package dev.tlab.cli;

import dev.tlab.cli.view.ComparisonTable;
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
        description = "Print an experiment's strategies ranked by test accuracy, the best one and whether it is"
                + " significantly better than the runner-up, then the per-class results, paired tests and cost.")
class LeaderboardCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Mixin
    ResultsOptions results;

    @Option(names = "--json", description = "Print the results service's JSON (the leaderboard, its verdict included).")
    boolean json;

    @Option(
            names = "--comparison",
            description = "With --json: print the comparison's JSON instead (per-class results, confusion matrices,"
                    + " calibration, paired tests, cost).")
    boolean comparison;

    @Override
    public Integer call() throws Exception {
        if (json && comparison) {
            Optional<Views.Comparison> view = results.client().comparison(experimentId);
            if (view.isEmpty()) {
                return unknown();
            }
            System.out.print(
                    EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view.get()) + "\n");
            return ExitCodes.OK;
        }
        Optional<Views.Leaderboard> leaderboard = results.client().leaderboard(experimentId);
        if (leaderboard.isEmpty()) {
            return unknown();
        }
        if (json) {
            System.out.print(
                    EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(leaderboard.get()) + "\n");
            return ExitCodes.OK;
        }
        StringBuilder text = new StringBuilder(LeaderboardTable.render(leaderboard.get()));
        // a service older than the comparison answers 404 here: the notebook's table alone is still the answer
        results.client().comparison(experimentId).ifPresent(view -> text.append(ComparisonTable.render(view)));
        System.out.print(text);
        return ExitCodes.OK;
    }

    private int unknown() {
        System.err.println("no experiment " + experimentId + " at " + results.resultsUrl);
        return ExitCodes.EXPERIMENT_FAILED;
    }
}
