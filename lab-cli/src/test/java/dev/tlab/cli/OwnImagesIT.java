package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        Path work = root.resolve("lab-cli/target/own-images-" + System.currentTimeMillis());
        int trainerPort = TestStacks.freePorts(1);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream both = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            exit = Lab.execute(
                    "run",
                    "--images",
                    images.toString(),
                    "--epochs",
                    "1",
                    "--batch-size",
                    "8",
                    "--eval-batch-size",
                    "16",
                    "--root",
                    root.toString(),
                    "--work-dir",
                    work.toString(),
                    "--kafka-port",
                    Integer.toString(TestStacks.kafkaPort()),
                    "--dataset-port",
                    Integer.toString(TestStacks.freePort()),
                    "--results-port",
                    Integer.toString(TestStacks.freePort()),
                    "--trainer-port",
                    Integer.toString(trainerPort),
                    "--device",
                    "cpu",
                    "--timeout",
                    "PT10M");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OK, exit, out);
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

    /** Writes to the console and to the capture at once, so a failing run still shows its progress. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
