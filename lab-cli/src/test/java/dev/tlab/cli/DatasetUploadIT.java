package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.upload.ReproducibleTar;
import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.SyntheticImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab dataset upload DIR} to a real local stack (packaged services, real broker), then an experiment that
 * names the upload by its id trains on it and ends with a leaderboard naming its classes.
 */
class DatasetUploadIT {
    private static final List<String> CLASSES = List.of("bird", "cat");

    private record Run(int exit, String out) {}

    private static Run lab(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream into = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(into);
            exit = Lab.execute(args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(exit, out);
    }

    @Test
    void anUploadedFolderIsOneDatasetIdThatAnExperimentTrainsOn(@TempDir Path home) throws Exception {
        Path images = home.resolve("my photos");
        for (int c = 0; c < CLASSES.size(); c++) {
            Path folder = Files.createDirectories(images.resolve(CLASSES.get(c)));
            for (int i = 0; i < 12; i++) {
                Files.write(
                        folder.resolve("img-" + i + ".jpg"),
                        SyntheticImages.jpeg(SyntheticImages.photo(40 + 5 * i, 36 + 3 * c, 100L * c + i), 0.9f));
            }
        }
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        ReproducibleTar.write(images, packed);
        String expectedId = Checksums.sha256Hex(packed.toByteArray());

        try (LocalStack stack = TestStacks.start("upload", 1, 8, Map.of())) {
            String dataset = stack.settings().datasetUrl();
            String tokenFile = stack.secrets().triggerTokenFile().toString();

            Run first =
                    lab("dataset", "upload", images.toString(), "--dataset-url", dataset, "--token-file", tokenFile);
            assertEquals(ExitCodes.OK, first.exit(), first.out());
            String id = first.out().lines().findFirst().orElseThrow();
            assertEquals(expectedId, id, "the id is the sha256 of the folder's reproducible tar");
            assertTrue(first.out().contains("classes   2 (by label): bird, cat"), first.out());
            assertTrue(first.out().contains("24 usable, 0 rejected"), first.out());

            Run again =
                    lab("dataset", "upload", images.toString(), "--dataset-url", dataset, "--token-file", tokenFile);
            assertEquals(ExitCodes.OK, again.exit(), again.out());
            assertTrue(again.out().startsWith(id + "\n"), again.out());
            assertTrue(again.out().contains("the same bytes were stored already"), again.out());

            Run noToken = lab(
                    "dataset",
                    "upload",
                    images.toString(),
                    "--dataset-url",
                    dataset,
                    "--token-file",
                    home.resolve("no-token").toString());
            assertEquals(ExitCodes.USAGE, noToken.exit(), "the service wants the trigger token");

            UUID experimentId = UUID.randomUUID();
            String request = """
                    {"experimentId": "%s",
                     "dataset": {"name": "images", "source": {"upload": "%s"}},
                     "subset": {"name": "all"},
                     "strategies": ["freeze", "full"],
                     "hyperParameters": {"epochs": 1, "trainBatchSize": 8, "evalBatchSize": 16, "imageSize": 32},
                     "seeds": [0]}
                    """.formatted(experimentId, id);
            HttpResponse<String> accepted = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(dataset + "/experiments"))
                                    .header("Content-Type", "application/json")
                                    .header(
                                            "Authorization",
                                            "Bearer " + stack.secrets().triggerToken())
                                    .POST(HttpRequest.BodyPublishers.ofString(request))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());

            ResultsClient results = new ResultsClient(stack.settings().resultsUrl());
            ExperimentWatcher.watch(
                    results,
                    experimentId,
                    2,
                    Duration.ofMinutes(6),
                    new ProgressView(System.out, false),
                    () -> stack.check(System.out::println));
            Views.Leaderboard leaderboard = results.leaderboard(experimentId).orElseThrow();
            System.out.print(LeaderboardTable.render(leaderboard));
            assertEquals(CLASSES, leaderboard.classNames());
            for (Views.LeaderboardRow row : leaderboard.rows()) {
                assertEquals("completed", row.state(), row.strategy());
            }
        }
    }
}
