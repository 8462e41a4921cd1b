package dev.tlab.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Save an experiment's report: one file with every table and chart of its page (the leaderboard"
                + " and its verdict, per-class results, confusion matrices, calibration, paired tests, cost), SVG"
                + " inline, readable without network. HTML, or Markdown for a file ending in .md.")
class ReportCommand implements Callable<Integer> {
    /** The formats the results service writes, by the path it serves them at. */
    enum Format {
        html,
        md
    }

    @Parameters(paramLabel = "EXPERIMENT_ID")
    UUID experimentId;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "Where to write the report (replaced if it exists).")
    Path output;

    @Option(
            names = "--format",
            description = "html or md (default: md for a FILE ending in .md or .markdown, else html).")
    Format format;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        Format chosen = format != null ? format : byName(output);
        if (!results.client().report(experimentId, chosen.name(), output)) {
            System.err.println("no experiment " + experimentId + " at " + results.resultsUrl);
            return ExitCodes.EXPERIMENT_FAILED;
        }
        System.out.println("report of experiment " + experimentId + " written to " + output.toAbsolutePath());
        return ExitCodes.OK;
    }

    static Format byName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown") ? Format.md : Format.html;
    }
}
