package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.SyntheticImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab run --images DIR} as a user runs it on a folder of their own images (issue 27): three classes of JPEGs
 * of unequal sizes, the packaged services, a real broker, three strategies trained by the demo model given a
 * three-output head, a leaderboard that names the classes by label and lists the one image file it could not use.
 */
class OwnImagesIT {
    private static final List<String> CLASSES = List.of("bird", "cat", "dog");

    @Test
    void runOnAFolderOfImagesEndsWithALeaderboardNamingItsClasses(@TempDir Path home) throws Exception {
        Path images = home.resolve("my photos");
        for (int c = 0; c < CLASSES.size(); c++) {
            Path folder = Files.createDirectories(images.resolve(CLASSES.get(c)));
            for (int i = 0; i < 20; i++) {
                int width = 40 + 7 * i + 5 * c;
                int height = 36 + 3 * ((i * 5) % 17);
                Files.write(
                        folder.resolve("img-" + i + ".jpg"),
                        SyntheticImages.jpeg(SyntheticImages.photo(width, height, 100L * c + i), 0.9f));
            }
        }
        // a JPEG cut off halfway: left out with its reason (rejects skip), listed under the leaderboard
        byte[] whole = SyntheticImages.jpeg(SyntheticImages.photo(64, 48, 999L), 0.9f);
        Files.write(images.resolve("dog/cut-off.jpg"), java.util.Arrays.copyOf(whole, whole.length / 2));
        LocalRuns.Run run = LocalRuns.run(
                "own-images",
                "--images",
                images.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "8",
                "--eval-batch-size",
                "16");
        String out = run.out();
        assertEquals(ExitCodes.OK, run.exit(), out);
        assertTrue(out.contains("your images from " + images.toAbsolutePath()), out);
        assertTrue(out.contains("classes (by label): bird, cat, dog"), out);
        assertTrue(out.contains("rejected image files: 1\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  ") && l.contains("cut-off.jpg: truncated")), out);
        assertTrue(out.contains("dataset: train "), out);
        for (String strategy : List.of("freeze", "partial", "full")) {
            assertTrue(
                    out.lines().anyMatch(l -> l.contains(strategy) && l.contains("completed")), strategy + "\n" + out);
        }
    }
}
