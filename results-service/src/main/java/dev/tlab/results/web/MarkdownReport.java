package dev.tlab.results.web;

import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.api.Views;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An experiment's report as one Markdown document: the tables of its page (leaderboard, verdict, the epoch each run
 * with epoch selection was tested on, paired tests, per-class results, the classes that differ most, calibration, cost,
 * the record of how it was made, the jobs) and its charts as SVG images inline ({@code data:} URIs), so that it needs
 * no network to be read. Text from messages (strategy, class and dataset names, reasons) is escaped: Markdown's table
 * and emphasis characters are backslashed, and {@code <}, {@code >} and {@code &} written as entities, so that a name
 * cannot inject HTML where a viewer renders it.
 */
public final class MarkdownReport {
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport() {}

    /** @param charts the SVG of each chart, rendered by the same templates as the page */
    public static String of(ExperimentPanel panel, String serviceUrl, Instant generatedAt, Charts charts) {
        return new MarkdownReport().write(panel, serviceUrl, generatedAt, charts);
    }

    /** The page's charts as SVG documents. */
    public interface Charts {
        String bar(BarChart bar);

        String curves(CurvesChart curves);

        String heatmap(ConfusionHeatmap heatmap);

        String reliability(ReliabilityDiagram diagram);

        String cost(AccuracyCostChart cost);
    }

    private String write(ExperimentPanel panel, String serviceUrl, Instant generatedAt, Charts charts) {
        Views.Experiment e = panel.experiment();
        line("# Transfer-learning strategy comparison: experiment " + e.experimentId());
        line();
        line("Generated " + generatedAt + " by the results service at " + text(serviceUrl)
                + ". Every table and chart is in this file.");
        line();
        if (e.synthetic()) {
            line("> **SYNTHETIC DATA**: dataset '" + text(e.dataset())
                    + "' is generated, not CIFAR-10. These accuracies say nothing about real images.");
            line();
        }
        if (e.cancellation() != null) {
            line("> **CANCELLED** at " + e.cancellation().cancelledAt() + ": "
                    + text(e.cancellation().reason()));
            line();
        }
        if (e.failure() != null) {
            line("> **FAILED** at " + e.failure().failedAt() + " (field "
                    + text(e.failure().field()) + "): " + text(e.failure().reason()));
            line();
        }
        line("State: **" + e.state() + "** · Dataset: " + text(e.dataset() == null ? "unknown yet" : e.dataset())
                + (e.manifestId() == null ? "" : " (manifest " + text(e.manifestId()) + ")"));
        line();
        leaderboard(e);
        image("Test accuracy per strategy", charts.bar(panel.bar()));
        image("Per-epoch loss and train accuracy", charts.curves(panel.curves()));
        selectedEpochs(panel);
        if (panel.comparison() != null) {
            comparison(panel.comparison(), charts);
        }
        record(e);
        jobs(panel);
        return out.toString();
    }

    private void leaderboard(Views.Experiment e) {
        line("## Leaderboard");
        line();
        table(
                List.of(
                        "Rank",
                        "Strategy",
                        "State",
                        "Test accuracy",
                        "95% CI",
                        "Seeds",
                        "Precision",
                        "Trainable parameters",
                        "Total parameters"),
                e.leaderboard().rows().stream()
                        .map(r -> List.of(
                                r.rank() == null ? "–" : r.rank().toString(),
                                text(r.strategy()),
                                r.state(),
                                Formats.percent(r.testAccuracyPercent()),
                                Formats.interval(r.ci95Low(), r.ci95High()),
                                String.valueOf(r.seeds()),
                                r.precision() == null ? "-" : r.precision().toString(),
                                Formats.count(r.trainableParameters()),
                                Formats.count(r.totalParameters())))
                        .toList());
        Views.Verdict verdict = e.leaderboard().verdict();
        if (e.best() != null) {
            boolean best = verdict == null || verdict.outcome().equals("best");
            line((best ? "Best strategy: **" : "Highest test accuracy: **")
                    + text(e.best().strategy()) + "** ("
                    + Formats.percent(e.best().testAccuracyPercent()) + ")");
            line();
        }
        if (verdict != null) {
            line("**Verdict:** " + text(verdict.text()));
            line();
        }
    }

    /** Which epoch each run with epoch selection was tested on and why; nothing for runs without one. */
    private void selectedEpochs(ExperimentPanel panel) {
        List<List<String>> rows = new ArrayList<>();
        for (ExperimentPanel.JobRow job : panel.jobs()) {
            SelectedEpoch selection = job.run().selection();
            if (selection != null) {
                rows.add(List.of(
                        text(job.strategy()),
                        String.valueOf(job.run().seed()),
                        Formats.testedOn(selection),
                        text(selection.metric()) + " "
                                + (selection.value() == null ? Formats.MISSING : Formats.fixed(selection.value(), 4)),
                        text(selection.reason())));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        line("## Epoch selection");
        line();
        line("Each run was tested once, on the epoch with the best validation figure (dotted on the curves, the"
                + " tested epoch ringed), not after its last epoch.");
        line();
        table(List.of("Strategy", "Seed", "Tested on", "Validation figure", "Why"), rows);
    }

    private void comparison(ComparisonPanel panel, Charts charts) {
        Views.Comparison c = panel.view();
        line("## Is the leader really better?");
        line();
        line("The leader and the runner-up by mean test accuracy are paired on the seeds both completed: with two or"
                + " more the paired t-test of their per-seed accuracies decides, with one McNemar's exact test of that"
                + " seed's per-image predictions. \"Best\" is said only when the two-sided p is below "
                + (c.verdict() == null ? 0.05 : c.verdict().level()) + ".");
        line();
        if (!c.pairs().isEmpty()) {
            table(
                    List.of(
                            "First",
                            "Second",
                            "Paired seeds",
                            "Mean difference (points)",
                            "Paired t: 95% CI (points)",
                            "p (paired t)",
                            "McNemar per seed: only first right / only second right (p)"),
                    c.pairs().stream()
                            .map(p -> List.of(
                                    text(p.first()),
                                    text(p.second()),
                                    String.join(
                                            ", ",
                                            p.pairedSeeds().stream()
                                                    .map(String::valueOf)
                                                    .toList()),
                                    Formats.points(p.meanDifference()),
                                    p.tTest() == null
                                            ? "–"
                                            : Formats.points(p.tTest().ci95Low()) + " to "
                                                    + Formats.points(p.tTest().ci95High()),
                                    p.tTest() == null
                                            ? "–"
                                            : Formats.p(p.tTest().pValue()),
                                    p.mcnemar().isEmpty()
                                            ? "–"
                                            : String.join(
                                                    "; ",
                                                    p.mcnemar().stream()
                                                            .map(m -> "seed " + m.seed() + ": " + m.firstOnlyCorrect()
                                                                    + " / " + m.secondOnlyCorrect() + " (p "
                                                                    + Formats.p(m.pValue()) + ")")
                                                            .toList())))
                            .toList());
        }
        if (panel.hasEvaluations()) {
            line("## Per-class results");
            line();
            line("Each strategy's completed runs pooled (a class's accuracy is its recall); macro averages are"
                    + " unweighted means over every class; ECE is the expected calibration error over 15 bins.");
            line();
            table(
                    List.of(
                            "Strategy",
                            "Runs evaluated",
                            "Test accuracy",
                            "Macro precision",
                            "Macro recall",
                            "Macro F1",
                            "ECE"),
                    c.strategies().stream()
                            .map(s -> List.of(
                                    text(s.strategy()),
                                    s.evaluatedRuns() + " / " + s.completedRuns(),
                                    Formats.fractionPercent(s.testAccuracy()),
                                    Formats.fractionPercent(s.macroPrecision()),
                                    Formats.fractionPercent(s.macroRecall()),
                                    Formats.fractionPercent(s.macroF1()),
                                    s.calibration() == null
                                            ? "–"
                                            : Formats.fractionPercent(
                                                    s.calibration().expectedCalibrationError())))
                            .toList());
            List<String> header = new ArrayList<>(List.of("Class", "Test images"));
            for (Views.StrategyEvaluation s : panel.evaluated()) {
                header.add(text(s.strategy()) + " precision");
                header.add(text(s.strategy()) + " recall");
                header.add(text(s.strategy()) + " F1");
            }
            List<List<String>> rows = new ArrayList<>();
            for (ComparisonPanel.ClassRow row : panel.perClass()) {
                List<String> cells = new ArrayList<>(List.of(text(row.className()), String.valueOf(row.support())));
                for (Views.ClassMetrics m : row.byStrategy()) {
                    cells.add(Formats.fractionPercent(m.precision()));
                    cells.add(Formats.fractionPercent(m.recall()));
                    cells.add(Formats.fractionPercent(m.f1()));
                }
                rows.add(cells);
            }
            table(header, rows);
            if (!c.classDifferences().isEmpty()) {
                line("## Classes whose accuracy differs most between strategies");
                line();
                table(
                        List.of("Class", "Spread", "Highest", "Lowest"),
                        c.classDifferences().stream()
                                .map(d -> List.of(
                                        text(d.className()),
                                        Formats.fixed(d.spread(), 4),
                                        text(d.highestStrategy()) + " " + Formats.fractionPercent(d.highest()),
                                        text(d.lowestStrategy()) + " " + Formats.fractionPercent(d.lowest())))
                                .toList());
            }
            line("## Confusion matrices");
            line();
            for (ComparisonPanel.StrategyCharts s : panel.strategies()) {
                if (s.heatmap() != null) {
                    image("Confusion matrix: " + s.evaluation().strategy(), charts.heatmap(s.heatmap()));
                }
            }
            line("## Calibration");
            line();
            for (ComparisonPanel.StrategyCharts s : panel.strategies()) {
                if (s.reliability() != null) {
                    image("Reliability diagram: " + s.evaluation().strategy(), charts.reliability(s.reliability()));
                }
            }
            List<List<String>> runs = new ArrayList<>();
            for (Views.StrategyEvaluation s : c.strategies()) {
                for (Views.RunEvaluation r : s.runs()) {
                    runs.add(List.of(
                            text(s.strategy()),
                            String.valueOf(r.seed()),
                            Formats.fractionPercent(r.testAccuracy()),
                            Formats.fractionPercent(r.macroF1()),
                            Formats.fractionPercent(r.expectedCalibrationError()),
                            text(r.predictions())));
                }
            }
            table(List.of("Strategy", "Seed", "Test accuracy", "Macro F1", "ECE", "Predictions file"), runs);
        }
        if (c.cost() != null) {
            line("## Cost");
            line();
            line("Per run: the training epochs' and the final evaluation's seconds on its one device; images per second"
                    + " over every run; the largest peak memory a run reported; the notebook's run of the strategy (10"
                    + " epochs of 3,000 images, 10,000 test images) projected at these speeds"
                    + (c.cost().devices().isEmpty()
                            ? ""
                            : " on " + text(String.join(", ", c.cost().devices())))
                    + (c.cost().imageSizes().isEmpty()
                            ? ""
                            : " at "
                                    + String.join(
                                            ", ",
                                            c.cost().imageSizes().stream()
                                                    .map(String::valueOf)
                                                    .toList())
                                    + " px")
                    + "; the points of accuracy each extra device-hour buys over the cheapest strategy ("
                    + text(c.cost().cheapest()) + ").");
            line();
            table(
                    List.of(
                            "Strategy",
                            "Runs",
                            "Training / run",
                            "Evaluation / run",
                            "Device-seconds / run",
                            "Training images/s",
                            "Evaluation images/s",
                            "Peak memory",
                            "Test accuracy",
                            "Notebook run, projected",
                            "Points per device-hour"),
                    c.cost().strategies().stream()
                            .map(s -> List.of(
                                    text(s.strategy()),
                                    String.valueOf(s.runs()),
                                    Formats.duration(s.meanTrainSeconds()),
                                    Formats.duration(s.meanEvalSeconds()),
                                    Formats.fixed(s.meanDeviceSeconds(), 1),
                                    Formats.decimals(s.trainImagesPerSecond(), 1),
                                    Formats.decimals(s.evalImagesPerSecond(), 1),
                                    Formats.bytes(s.peakMemoryBytes())
                                            + (s.peakMemory() == null ? "" : " (" + s.peakMemory() + ")"),
                                    Formats.fractionPercent(s.meanAccuracy()),
                                    Formats.duration(s.projectedNotebookSeconds()),
                                    Formats.decimals(s.pointsPerDeviceHour(), 2)))
                            .toList());
            if (c.cost().notebookRunSeconds() != null) {
                line("The notebook's full run (freeze, partial and full) would take **"
                        + Formats.duration(c.cost().notebookRunSeconds()) + "** of device time at these speeds.");
                line();
            }
            if (panel.cost() != null) {
                image("Accuracy against cost", charts.cost(panel.cost()));
            }
        }
        if (!c.notes().isEmpty()) {
            line("## Not compared");
            line();
            c.notes().forEach(note -> line("- " + text(note)));
            line();
        }
    }

    private void record(Views.Experiment e) {
        Views.Request r = e.request();
        if (r == null) {
            return;
        }
        line("## How it was made");
        line();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "Dataset",
                text(r.dataset())
                        + (r.synthetic() ? " (synthetic)" : "")
                        + (r.manifestId() == null ? "" : ", manifest " + text(r.manifestId()))));
        rows.add(List.of(
                "Digests (sha256)",
                "source " + code(r.sourceFingerprint()) + ", training subset " + code(r.subsetDigest()) + ", test set "
                        + code(r.testDigest())));
        if (r.subset() != null) {
            rows.add(List.of(
                    "Subset",
                    text(r.subset().name()) + ", " + r.subset().samplesPerClass() + " per class, seed "
                            + r.subset().seed()));
        }
        List<String> strategies = new ArrayList<>();
        for (StrategySpec s : r.strategies()) {
            strategies.add(text(s.name()) + ": "
                    + String.join(
                            " ",
                            s.trainable().stream().map(MarkdownReport::code).toList()));
        }
        rows.add(List.of("Strategies", String.join("; ", strategies)));
        if (r.hyperParameters() != null) {
            var h = r.hyperParameters();
            rows.add(List.of(
                    "Hyper-parameters",
                    "epochs " + h.epochs() + ", batch " + h.trainBatchSize() + " (eval " + h.evalBatchSize()
                            + "), learning rate backbone " + h.backboneLearningRate() + " / head "
                            + h.headLearningRate() + ", weight decay " + h.weightDecay() + ", image " + h.imageSize()
                            + " px, precision " + h.precision()
                            + (h.selection() == null
                                    ? ""
                                    : ", tested on the best epoch by "
                                            + h.selection().metric()
                                            + " on the validation split"
                                            + (h.selection().patience() == null
                                                    ? ""
                                                    : ", patience "
                                                            + h.selection().patience()))));
        }
        if (r.model() != null) {
            rows.add(List.of(
                    "Model",
                    text(
                                    r.model().uri() == null
                                            ? "default of the trainer"
                                            : r.model().uri())
                            + (r.model().sha256() == null
                                    ? ""
                                    : " " + code(r.model().sha256()))
                            + (r.model().weightsUri() == null
                                    ? ""
                                    : "; weights " + text(r.model().weightsUri()) + " "
                                            + code(r.model().weightsSha256()))));
        }
        rows.add(List.of(
                "Seeds",
                String.join(", ", r.seeds().stream().map(String::valueOf).toList())));
        rows.add(List.of("Requested", String.valueOf(r.requestedAt())));
        table(List.of("", ""), rows);
    }

    private void jobs(ExperimentPanel panel) {
        line("## Jobs");
        line();
        List<List<String>> rows = new ArrayList<>();
        for (ExperimentPanel.JobRow job : panel.jobs()) {
            Views.Run run = job.run();
            rows.add(List.of(
                    text(job.strategy()),
                    String.valueOf(run.seed()),
                    String.valueOf(run.attempt()),
                    run.state(),
                    Formats.fractionPercent(run.testAccuracy()),
                    Formats.decimals(run.wallSeconds(), 1),
                    text(run.device() == null ? "" : run.device()),
                    run.environment() == null
                            ? ""
                            : text(run.environment().engine() + " (DJL "
                                    + run.environment().djlVersion()
                                    + ", libtorch " + run.environment().libtorchVersion() + " "
                                    + run.environment().flavor() + ") on "
                                    + run.environment().instance()),
                    run.model() == null ? "" : code(run.model().sha256())));
        }
        table(
                List.of(
                        "Strategy",
                        "Seed",
                        "Attempt",
                        "State",
                        "Test accuracy",
                        "Wall time (s)",
                        "Device",
                        "Ran on",
                        "Model sha256"),
                rows);
    }

    private void image(String alt, String svg) {
        line("### " + text(alt));
        line();
        line("![" + text(alt) + "](data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)) + ")");
        line();
    }

    private void table(List<String> header, List<List<String>> rows) {
        out.append('|');
        header.forEach(h -> out.append(' ').append(h).append(" |"));
        out.append('\n').append('|');
        header.forEach(h -> out.append(" --- |"));
        out.append('\n');
        for (List<String> row : rows) {
            out.append('|');
            row.forEach(cell -> out.append(' ').append(cell).append(" |"));
            out.append('\n');
        }
        out.append('\n');
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private void line() {
        out.append('\n');
    }

    /** Text from a message, safe in a Markdown table cell: no markup, no HTML, one line. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder();
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '\n', '\r' -> escaped.append(' ');
                case '\\', '|', '*', '_', '`', '[', ']', '#', '!', '~' ->
                    escaped.append('\\').append(ch);
                default -> escaped.append(ch);
            }
        }
        return escaped.toString();
    }

    /** A digest or pattern as code; backticks cannot occur in either, but are dropped to be sure. */
    private static String code(String value) {
        return value == null ? "-" : "`" + value.replace("`", "") + "`";
    }
}
