package dev.tlab.cli.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lab leaderboard} names the classes of a dataset of the user's own images, in label order, and summarizes
 * what its manifest says: split counts, the first few rejects, leaks and notes with their totals.
 */
class LeaderboardTableTest {
    private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

    @Test
    void aDatasetOfImagesIsShownWithItsClassesByLabel() {
        String table = LeaderboardTable.render(new Views.Leaderboard(
                ID, "images", false, "running", List.of(), null, null, List.of("bird", "cat", "dog"), null));
        assertTrue(table.contains("classes (by label): bird, cat, dog"), table);
    }

    @Test
    void cifarShowsNoClassLine() {
        String table =
                LeaderboardTable.render(new Views.Leaderboard(ID, "cifar10", false, "running", List.of(), null, null));
        assertFalse(table.contains("classes"), table);
    }

    @Test
    void aDatasetOfImagesIsSummarizedWithTheFirstRejectsLeaksAndNotesAndTheirTotals() {
        List<ImageManifest.RejectedFile> rejects = IntStream.range(0, 7)
                .mapToObj(i -> new ImageManifest.RejectedFile("pets/dog/" + i + ".jpg", "truncated", "Premature end"))
                .toList();
        Views.DatasetReport report = new Views.DatasetReport(
                List.of(
                        new ImageManifest.SplitSummary("train", "seeded", 21, List.of(7, 8, 6), "e".repeat(64)),
                        new ImageManifest.SplitSummary("val", "none", 0, List.of(0, 0, 0), "1".repeat(64)),
                        new ImageManifest.SplitSummary("test", "folder", 6, List.of(2, 2, 2), "f".repeat(64))),
                new ImageManifest.Subset("first-per-class", 5, 0, 15, List.of(5, 5, 5), "a".repeat(64)),
                9,
                rejects,
                0,
                List.of(),
                List.of(new Views.DatasetNote("lossy-webp", 3, "3 images in lossy WebP")));
        String table = LeaderboardTable.render(new Views.Leaderboard(
                ID, "images", false, "running", List.of(), null, null, List.of("bird", "cat", "dog"), null, report));
        assertTrue(
                table.contains("dataset: train 21 (seeded), val 0 (none), test 6 (folder), training subset 15"
                        + " (first-per-class, 5 per class)\n"),
                table);
        assertTrue(table.contains("rejected image files: 9\n  pets/dog/0.jpg: truncated (Premature end)\n"), table);
        assertTrue(table.contains("  pets/dog/4.jpg: truncated"), table);
        assertFalse(table.contains("pets/dog/5.jpg"), "only the first " + DatasetSummary.SHOWN + ":\n" + table);
        assertTrue(table.contains("  ... and 4 more (the page lists 7, the manifest's index has all)\n"), table);
        assertTrue(table.contains("images in two splits (leakage): none\n"), table);
        assertTrue(table.contains("notes: 1\n  3 images in lossy WebP\n"), table);
    }

    /** A file name from the user's archive with an ANSI escape in it cannot drive the terminal. */
    @Test
    void controlCharactersInNamesFromTheArchiveAreNotPrinted() {
        Views.DatasetReport report = new Views.DatasetReport(
                List.of(),
                new ImageManifest.Subset("all", null, 0, 1, List.of(1), "a".repeat(64)),
                1,
                List.of(new ImageManifest.RejectedFile("pets/\u001b[2Jevil.jpg", "truncated", null)),
                1,
                List.of(new ImageManifest.Leak("2".repeat(64), "train", "a\u0007.jpg", "test", "b.jpg")),
                List.of());
        String table = LeaderboardTable.render(new Views.Leaderboard(
                ID, "images", false, "running", List.of(), null, null, List.of("c\u001bat"), null, report));
        assertFalse(table.chars().anyMatch(c -> c == 0x1b || c == 0x07), table);
        assertTrue(table.contains("  pets/?[2Jevil.jpg: truncated\n"), table);
        assertTrue(table.contains("  a?.jpg (train) = b.jpg (test)\n"), table);
        assertTrue(table.contains("classes (by label): c?at\n"), table);
    }

    @Test
    void cifarShowsNoDatasetSummary() {
        String table =
                LeaderboardTable.render(new Views.Leaderboard(ID, "cifar10", false, "running", List.of(), null, null));
        assertFalse(table.contains("dataset:") || table.contains("rejected"), table);
    }

    private static Views.LeaderboardRow row(String strategy, List<Views.SeedSelection> selected) {
        return new Views.LeaderboardRow(
                1, strategy, "completed", 0.81, 81.0, 10L, 20L, 2, 0.01, 0.7, 0.9, Precision.FP32, selected);
    }

    /** Each seed's tested epoch, in one line per strategy; accuracy in percent, loss as it is. */
    @Test
    void theEpochEachSeedWasTestedOnIsShownPerStrategy() {
        List<Views.SeedSelection> partial = List.of(
                new Views.SeedSelection(
                        0, new SelectedEpoch(2, 3, EpochSelection.VAL_ACCURACY, 0.8125, true, "reason 0")),
                new Views.SeedSelection(
                        1, new SelectedEpoch(4, 4, EpochSelection.VAL_ACCURACY, 0.78, false, "reason 1")));
        List<Views.SeedSelection> full =
                List.of(new Views.SeedSelection(0, new SelectedEpoch(5, 5, EpochSelection.VAL_LOSS, 0.61, false, "r")));
        String table = LeaderboardTable.render(new Views.Leaderboard(
                ID,
                "images",
                false,
                "completed",
                List.of(row("partial", partial), row("full", full), row("freeze", null)),
                null,
                null));
        assertTrue(
                table.contains("tested on the best validation epoch, not the last:\n"
                        + "  partial                  seed 0: epoch 2 of 3, stopped early (valAccuracy 81.25%);"
                        + " seed 1: epoch 4 of 4 (valAccuracy 78.00%)\n"
                        + "  full                     seed 0: epoch 5 of 5 (valLoss 0.6100)\n\n"),
                table);
        assertFalse(table.contains("  freeze                   seed"), table);
    }

    @Test
    void withoutASelectionThereIsNoSuchLine() {
        String table = LeaderboardTable.render(
                new Views.Leaderboard(ID, "cifar10", false, "completed", List.of(row("freeze", null)), null, null));
        assertFalse(table.contains("tested on"), table);
    }
}
