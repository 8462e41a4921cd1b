package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.RgbImage;
import dev.tlab.images.SyntheticImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epoch selection on a validation split end to end (issue 28): {@code ./lab run --images} on a folder with train/, val/
 * and test/ folders, through the packaged services and a real broker. The val/ folder's images are filed under the
 * other class (reddish images under blue/, bluish under red/), so the better the model learns the training images, the
 * worse its validation loss: the best validation epoch comes before the last, and the leaderboard must say that the job
 * was tested on it.
 */
class EpochSelectionIT {
    private static final List<String> CLASSES = List.of("blue", "red");
    private static final int EPOCHS = 15;
    private static final int PATIENCE = 4;

    /** A reddish (class red) or bluish image with noise, unique for its seed. */
    private static byte[] image(boolean red, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = 32;
        byte[] rgb = new byte[3 * size * size];
        for (int p = 0; p < size * size; p++) {
            for (int c = 0; c < 3; c++) {
                int mean = (red && c == 0) || (!red && c == 2) ? 170 : 80;
                rgb[3 * p + c] = (byte) Math.max(0, Math.min(255, mean + random.nextInt(-40, 41)));
            }
        }
        return SyntheticImages.jpeg(new RgbImage(size, size, rgb), 0.95f);
    }

    private static void write(Path root, String split, int perClass, boolean swapped, long firstSeed) throws Exception {
        long seed = firstSeed;
        for (String name : CLASSES) {
            Path folder = Files.createDirectories(root.resolve(split).resolve(name));
            boolean red = name.equals("red") != swapped;
            for (int i = 0; i < perClass; i++) {
                Files.write(folder.resolve(name + "-" + i + ".jpg"), image(red, seed++));
            }
        }
    }

    @Test
    void theJobIsTestedOnItsBestValidationEpochAndTheLeaderboardSaysWhich(@TempDir Path home) throws Exception {
        Path images = home.resolve("colours");
        write(images, "train", 20, false, 1_000);
        write(images, "val", 20, true, 2_000);
        write(images, "test", 10, false, 3_000);
        Path request = home.resolve("request.json");
        Files.writeString(request, """
                {"strategies": ["full"],
                 "hyperParameters": {"epochs": %d, "trainBatchSize": 8, "evalBatchSize": 20, "imageSize": 32,
                                     "backboneLearningRate": 0.001, "headLearningRate": 0.001,
                                     "selection": {"metric": "valLoss", "patience": %d}}}
                """.formatted(EPOCHS, PATIENCE));
        LocalRuns.Run run =
                LocalRuns.run("epoch-selection", "--images", images.toString(), "--request", request.toString());
        String out = run.out();
        assertEquals(ExitCodes.OK, run.exit(), out);
        assertTrue(out.contains("classes (by label): blue, red"), out);
        Matcher tested = Pattern.compile(
                        "full\\s+seed 0: epoch (\\d+) of (\\d+)(, stopped early)? \\(valLoss (\\d+\\.\\d+)\\)")
                .matcher(out);
        assertTrue(tested.find(), "the leaderboard says which epoch was tested:\n" + out);
        int epoch = Integer.parseInt(tested.group(1));
        int trained = Integer.parseInt(tested.group(2));
        assertTrue(epoch < trained, "the best validation epoch is not the last: " + tested.group());
        if (trained < EPOCHS) {
            // early stopping: exactly PATIENCE epochs without improvement after the selected one
            assertEquals(", stopped early", tested.group(3), tested.group());
            assertEquals(PATIENCE, trained - epoch, tested.group());
        }
    }
}
