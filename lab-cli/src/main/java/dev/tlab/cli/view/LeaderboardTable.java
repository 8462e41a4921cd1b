package dev.tlab.cli.view;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The notebook's final table (strategy, test accuracy) with the precision each was trained in, parameter counts, the
 * epoch each seed was tested on where the experiment selected it on a validation split, the best strategy, and the
 * verdict on whether it is significantly better than the runner-up (when the service gives one); for a dataset of the
 * user's own images, its classes and a short summary of its splits, rejects, leaks and notes.
 */
public final class LeaderboardTable {
    private LeaderboardTable() {}

    /** Renders the results service's {@code /experiments/{id}/leaderboard} answer. */
    public static String render(Views.Leaderboard leaderboard) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Experiment %s  dataset %s%s  state %s%n",
                leaderboard.experimentId(),
                leaderboard.dataset() == null ? "?" : leaderboard.dataset(),
                leaderboard.synthetic() ? " (SYNTHETIC data, not CIFAR-10)" : "",
                leaderboard.state()));
        if (leaderboard.classNames() != null) {
            out.append("classes (by label): ")
                    .append(DatasetSummary.printable(String.join(", ", leaderboard.classNames())))
                    .append('\n');
        }
        if (leaderboard.datasetReport() != null) {
            out.append(DatasetSummary.render(leaderboard.datasetReport()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%-4s %-24s %-10s %-9s %15s %28s%n",
                "rank",
                "strategy",
                "state",
                "precision",
                "test accuracy",
                "trainable / total params"));
        out.append("=".repeat(95)).append('\n');
        for (Views.LeaderboardRow row : leaderboard.rows()) {
            String accuracy =
                    row.testAccuracy() != null ? String.format(Locale.ROOT, "%.2f%%", 100 * row.testAccuracy()) : "-";
            if (row.seeds() > 1 && row.testAccuracyStd() != null) {
                accuracy += String.format(Locale.ROOT, " ±%.2f", 100 * row.testAccuracyStd());
            }
            String params = row.trainableParameters() != null && row.totalParameters() != null
                    ? String.format(Locale.ROOT, "%,d / %,d", row.trainableParameters(), row.totalParameters())
                    : "-";
            out.append(String.format(
                    Locale.ROOT,
                    "%-4s %-24s %-10s %-9s %15s %28s%n",
                    row.rank() != null ? row.rank().toString() : "-",
                    row.strategy(),
                    row.state(),
                    row.precision() != null ? row.precision() : "-",
                    accuracy,
                    params));
        }
        selectedEpochs(leaderboard, out);
        Views.Best best = leaderboard.best();
        out.append('\n');
        Views.Verdict verdict = leaderboard.verdict();
        if (best == null) {
            out.append("Best strategy: none completed yet\n");
        } else if (verdict == null || "best".equals(verdict.outcome())) {
            out.append(String.format(
                    Locale.ROOT, "Best strategy: %s (%.2f%%)%n", best.strategy(), 100 * best.testAccuracy()));
        } else {
            // the highest mean is not called best unless the paired test says it is more than noise
            out.append(String.format(
                    Locale.ROOT, "Highest test accuracy: %s (%.2f%%)%n", best.strategy(), 100 * best.testAccuracy()));
        }
        if (verdict != null) {
            out.append("Verdict: ").append(verdict.text()).append('\n');
        }
        return out.toString();
    }

    /**
     * For strategies tested on a selected epoch, one line each: every seed's tested epoch of those it trained, whether
     * it stopped early, and the validation figure that chose it. Nothing when no run selected an epoch.
     */
    private static void selectedEpochs(Views.Leaderboard leaderboard, StringBuilder out) {
        List<Views.LeaderboardRow> rows = leaderboard.rows().stream()
                .filter(r -> r.selectedEpochs() != null)
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append("tested on the best validation epoch, not the last:\n");
        for (Views.LeaderboardRow row : rows) {
            List<String> seeds = new ArrayList<>();
            for (Views.SeedSelection s : row.selectedEpochs()) {
                SelectedEpoch e = s.selection();
                seeds.add(String.format(
                        Locale.ROOT,
                        "seed %d: epoch %d of %d%s (%s %s)",
                        s.seed(),
                        e.epoch(),
                        e.epochsTrained(),
                        e.stoppedEarly() ? ", stopped early" : "",
                        e.metric(),
                        e.value() == null
                                ? "none finite"
                                : EpochSelection.VAL_LOSS.equals(e.metric())
                                        ? String.format(Locale.ROOT, "%.4f", e.value())
                                        : String.format(Locale.ROOT, "%.2f%%", 100 * e.value())));
            }
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", row.strategy(), String.join("; ", seeds)));
        }
    }
}
