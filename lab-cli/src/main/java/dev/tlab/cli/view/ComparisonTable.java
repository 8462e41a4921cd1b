package dev.tlab.cli.view;

import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The comparison beyond the notebook's table, as {@code ./lab leaderboard} prints it under the leaderboard: each
 * strategy's pooled evaluation (test accuracy, macro precision / recall / F1, expected calibration error) and cost, the
 * per-class accuracy (recall) and F1 of every strategy, the classes that differ most, the paired tests, and what could
 * not be compared.
 */
public final class ComparisonTable {
    private static final String MISSING = "-";

    private ComparisonTable() {}

    /** Renders the results service's {@code /experiments/{id}/comparison} answer. */
    public static String render(Views.Comparison comparison) {
        StringBuilder out = new StringBuilder();
        List<Views.StrategyEvaluation> evaluated = comparison.strategies().stream()
                .filter(s -> !s.perClass().isEmpty())
                .toList();
        if (!comparison.strategies().isEmpty()) {
            out.append("\nPer strategy (its completed runs pooled; ECE over 15 confidence bins)\n");
            out.append(String.format(
                    Locale.ROOT,
                    "%-24s %9s %9s %9s %9s %9s %9s%n",
                    "strategy",
                    "evaluated",
                    "test acc",
                    "macro P",
                    "macro R",
                    "macro F1",
                    "ECE"));
            for (Views.StrategyEvaluation s : comparison.strategies()) {
                out.append(String.format(
                        Locale.ROOT,
                        "%-24s %9s %9s %9s %9s %9s %9s%n",
                        s.strategy(),
                        s.evaluatedRuns() + "/" + s.completedRuns(),
                        percent(s.testAccuracy()),
                        percent(s.macroPrecision()),
                        percent(s.macroRecall()),
                        percent(s.macroF1()),
                        percent(s.calibration() == null ? null : s.calibration().expectedCalibrationError())));
            }
        }
        if (!evaluated.isEmpty() && comparison.classes() != null) {
            perClass(out, "Per-class accuracy (recall)", comparison.classes(), evaluated, Views.ClassMetrics::recall);
            perClass(out, "Per-class F1", comparison.classes(), evaluated, Views.ClassMetrics::f1);
        }
        if (!comparison.classDifferences().isEmpty()) {
            out.append("\nClasses whose accuracy differs most between strategies\n");
            for (Views.ClassDifference d : comparison.classDifferences()) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %-20s %6.2f points: %s %s, %s %s%n",
                        abbreviate(d.className(), 20),
                        100 * d.spread(),
                        d.highestStrategy(),
                        percent(d.highest()),
                        d.lowestStrategy(),
                        percent(d.lowest())));
            }
        }
        if (!comparison.pairs().isEmpty()) {
            out.append("\nPaired tests (first minus second, points)\n");
            for (Views.PairTest pair : comparison.pairs()) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %s vs %s, seeds %s: mean %s",
                        pair.first(),
                        pair.second(),
                        pair.pairedSeeds(),
                        pair.meanDifference() == null
                                ? MISSING
                                : String.format(Locale.ROOT, "%+.2f", 100 * pair.meanDifference())));
                if (pair.tTest() != null) {
                    out.append(String.format(
                            Locale.ROOT,
                            "; paired t 95%% CI %+.2f to %+.2f, p = %s",
                            100 * pair.tTest().ci95Low(),
                            100 * pair.tTest().ci95High(),
                            p(pair.tTest().pValue())));
                }
                for (Views.SeedTest m : pair.mcnemar()) {
                    out.append(String.format(
                            Locale.ROOT,
                            "; McNemar seed %d: %d/%d, p = %s",
                            m.seed(),
                            m.firstOnlyCorrect(),
                            m.secondOnlyCorrect(),
                            p(m.pValue())));
                }
                out.append('\n');
            }
        }
        if (comparison.cost() != null) {
            cost(out, comparison.cost());
        }
        if (!comparison.notes().isEmpty()) {
            out.append("\nNot compared\n");
            for (String note : comparison.notes()) {
                out.append("  ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    private static void perClass(
            StringBuilder out,
            String title,
            List<String> classes,
            List<Views.StrategyEvaluation> evaluated,
            Function<Views.ClassMetrics, Double> value) {
        out.append('\n').append(title).append('\n');
        out.append(String.format(Locale.ROOT, "%-20s %8s", "class", "images"));
        for (Views.StrategyEvaluation s : evaluated) {
            out.append(String.format(Locale.ROOT, " %12s", abbreviate(s.strategy(), 12)));
        }
        out.append('\n');
        for (int c = 0; c < classes.size(); c++) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-20s %8d",
                    abbreviate(classes.get(c), 20),
                    evaluated.get(0).perClass().get(c).support()));
            for (Views.StrategyEvaluation s : evaluated) {
                out.append(String.format(
                        Locale.ROOT, " %12s", percent(value.apply(s.perClass().get(c)))));
            }
            out.append('\n');
        }
    }

    private static void cost(StringBuilder out, Views.Cost cost) {
        out.append("\nCost per run")
                .append(cost.devices().isEmpty() ? "" : " on " + String.join(", ", cost.devices()))
                .append(" (device-seconds: training plus final evaluation)\n");
        out.append(String.format(
                Locale.ROOT,
                "%-24s %5s %12s %10s %12s %12s %12s%n",
                "strategy",
                "runs",
                "device-s",
                "train img/s",
                "peak memory",
                "notebook run",
                "points/dev-h"));
        for (Views.StrategyCost s : cost.strategies()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-24s %5d %12.1f %10s %12s %12s %12s%n",
                    s.strategy(),
                    s.runs(),
                    s.meanDeviceSeconds(),
                    s.trainImagesPerSecond() == null
                            ? MISSING
                            : String.format(Locale.ROOT, "%.1f", s.trainImagesPerSecond()),
                    s.peakMemoryBytes() == null
                            ? MISSING
                            : String.format(Locale.ROOT, "%.0f MiB", s.peakMemoryBytes() / (double) (1L << 20)),
                    s.projectedNotebookSeconds() == null
                            ? MISSING
                            : String.format(Locale.ROOT, "%.0f s", s.projectedNotebookSeconds()),
                    s.pointsPerDeviceHour() == null
                            ? MISSING
                            : String.format(Locale.ROOT, "%.2f", s.pointsPerDeviceHour())));
        }
        if (cost.notebookRunSeconds() != null) {
            out.append(String.format(
                    Locale.ROOT,
                    "The notebook's full run (freeze, partial, full) projected: %.0f device-seconds%n",
                    cost.notebookRunSeconds()));
        }
    }

    private static String percent(Double fraction) {
        return fraction == null ? MISSING : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String p(double p) {
        return p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "%.2g", p);
    }

    private static String abbreviate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
