package dev.tlab.cli.view;

import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.function.Function;

/**
 * The short summary of a dataset of the user's own images under {@code ./lab leaderboard}: its split and subset counts,
 * then the first few rejects, leaks and notes with their totals (the page lists every one the manifest lists).
 */
final class DatasetSummary {
    /** Rejects, leaks and notes shown at most, each. */
    static final int SHOWN = 5;

    private DatasetSummary() {}

    static String render(Views.DatasetReport report) {
        StringBuilder out = new StringBuilder("dataset: ");
        for (ImageManifest.SplitSummary split : report.splits()) {
            out.append(split.name())
                    .append(' ')
                    .append(split.images())
                    .append(" (")
                    .append(split.origin())
                    .append("), ");
        }
        ImageManifest.Subset subset = report.subset();
        out.append("training subset ")
                .append(subset.images())
                .append(" (")
                .append(subset.rule())
                .append(subset.samplesPerClass() == null ? "" : ", " + subset.samplesPerClass() + " per class")
                .append(")\n");
        list(
                out,
                "rejected image files",
                report.rejectCount(),
                report.rejects(),
                r -> r.path() + ": " + r.reason() + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        list(
                out,
                "images in two splits (leakage)",
                report.leakCount(),
                report.leaks(),
                l -> l.firstPath() + " (" + l.firstSplit() + ") = " + l.secondPath() + " (" + l.secondSplit() + ")");
        list(out, "notes", report.notes().size(), report.notes(), Views.DatasetNote::text);
        return out.toString();
    }

    private static <T> void list(StringBuilder out, String title, int total, List<T> listed, Function<T, String> line) {
        if (total == 0) {
            if (!"notes".equals(title)) {
                out.append(title).append(": none\n");
            }
            return;
        }
        out.append(title).append(": ").append(total).append('\n');
        listed.stream()
                .limit(SHOWN)
                .forEach(item ->
                        out.append("  ").append(printable(line.apply(item))).append('\n'));
        int shown = Math.min(SHOWN, listed.size());
        if (total > shown) {
            out.append("  ... and ")
                    .append(total - shown)
                    .append(" more (the page lists ")
                    .append(listed.size())
                    .append(", the manifest's index has all)\n");
        }
    }

    /**
     * File names and reasons come from the user's archive: a control character (an ANSI escape) in one must not drive
     * the terminal, so each is shown as {@code ?}.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
