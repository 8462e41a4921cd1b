package dev.tlab.cli.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code ./lab leaderboard} names the classes of a dataset of the user's own images, in label order. */
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
}
