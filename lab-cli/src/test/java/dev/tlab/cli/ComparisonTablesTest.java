package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.view.ComparisonTable;
import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./lab leaderboard}'s verdict and comparison tables, from the contracts' golden views. */
class ComparisonTablesTest {
    private static final Path GOLDEN = Path.of("../contracts/src/test/resources/golden/views");

    private static <T> T golden(String name, Class<T> type) throws Exception {
        return EventCodec.mapper().readValue(GOLDEN.resolve(name).toFile(), type);
    }

    @Test
    void anIndistinguishableLeaderIsNotCalledBest() throws Exception {
        String table = LeaderboardTable.render(golden("LeaderboardWithVerdict.json", Views.Leaderboard.class));
        assertFalse(table.contains("Best strategy"), table);
        assertTrue(table.contains("Highest test accuracy: partial (84.31%)"), table);
        assertTrue(table.contains("Verdict: partial and freeze are indistinguishable on this data (p = 0.073,"), table);
    }

    @Test
    void aSignificantLeaderIsCalledBestWithTheVerdict() throws Exception {
        Views.Leaderboard leaderboard = golden("LeaderboardWithVerdict.json", Views.Leaderboard.class);
        Views.Verdict v = leaderboard.verdict();
        Views.Leaderboard best = leaderboard.withVerdict(new Views.Verdict(
                "best",
                v.leader(),
                v.runnerUp(),
                v.pairedSeeds(),
                v.test(),
                0.01,
                v.level(),
                v.tTest(),
                v.mcnemar(),
                "best: partial (+2.15 points over freeze; p = 0.01)"));
        String table = LeaderboardTable.render(best);
        assertTrue(table.contains("Best strategy: partial (84.31%)"), table);
        assertTrue(table.contains("Verdict: best: partial (+2.15 points over freeze; p = 0.01)"), table);
    }

    @Test
    void theComparisonShowsPerClassResultsPairedTestsCostAndWhatWasNotCompared() throws Exception {
        Views.Comparison comparison = golden("Comparison.json", Views.Comparison.class);
        String text = ComparisonTable.render(comparison);
        // strategies pooled: freeze has no evaluation (dashes), partial has its macro figures and ECE
        assertTrue(text.matches("(?s).*freeze\\s+0/2\\s+82\\.18%\\s+-\\s+-\\s+-\\s+-\\n.*"), text);
        assertTrue(
                text.matches("(?s).*partial\\s+2/2\\s+84\\.33%\\s+84\\.51%\\s+84\\.33%\\s+84\\.38%\\s+4\\.12%\\n.*"),
                text);
        // per-class accuracy (recall) and F1, one column per evaluated strategy, support from the matrix
        assertTrue(text.matches("(?s).*Per-class accuracy \\(recall\\).*\\ncat\\s+200\\s+79\\.00%\\n.*"), text);
        assertTrue(text.matches("(?s).*Per-class F1.*\\nfrog\\s+200\\s+91\\.74%\\n.*"), text);
        for (Views.ClassDifference d : comparison.classDifferences()) {
            assertTrue(text.contains(d.className()), text);
        }
        assertTrue(text.contains("McNemar seed 0: 31/12, p = 0.0049"), text);
        for (String note : comparison.notes()) {
            assertTrue(text.contains(note), text);
        }
        if (comparison.cost() != null) {
            for (Views.StrategyCost s : comparison.cost().strategies()) {
                assertTrue(
                        text.matches("(?s).*\\n" + s.strategy() + "\\s+" + s.runs() + "\\s+"
                                + String.format(java.util.Locale.ROOT, "%.1f", s.meanDeviceSeconds()) + ".*"),
                        text);
            }
        }
    }

    @Test
    void theReportsFormatFollowsTheFileName() {
        assertEquals(ReportCommand.Format.md, ReportCommand.byName(Path.of("out/report.md")));
        assertEquals(ReportCommand.Format.md, ReportCommand.byName(Path.of("R.MARKDOWN")));
        assertEquals(ReportCommand.Format.html, ReportCommand.byName(Path.of("report.html")));
        assertEquals(ReportCommand.Format.html, ReportCommand.byName(Path.of("report")));
    }

    @Test
    void reportNeedsAnOutputFile() {
        assertEquals(
                ExitCodes.USAGE, Lab.execute("report", "00000000-0000-4000-8000-000000000001", "--results-url", "x"));
    }
}
