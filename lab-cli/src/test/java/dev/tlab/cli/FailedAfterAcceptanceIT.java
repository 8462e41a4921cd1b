package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.EventCodec;
import dev.tlab.datafiles.CifarFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request that fails after its 202, through the packaged dataset and results services and the real broker: the
 * dataset's bytes are damaged with their size and modification time kept (no quick look can tell), so POST accepts the
 * next request and only the full read when its manifest is built finds the damage. The experiment must then show as
 * failed with the reason on the results service, and {@code ./lab watch} must end non-zero naming it. Before, the
 * results service answered 404 for it forever.
 */
class FailedAfterAcceptanceIT {
    private static final int IMAGES_PER_CLASS = 12;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStacks.start("failed-after-202", 0, IMAGES_PER_CLASS, Map.of());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDamagedSourceFoundAfterThe202EndsAsAVisibleFailedExperiment() throws Exception {
        UUID first = UUID.randomUUID();
        assertEquals(202, submit(first, "first-per-class").statusCode());
        awaitState(first, "queued"); // its manifest was built: the source is verified and pinned

        Path batch = stack.settings()
                .workDir()
                .resolve("data/synthetic/ipc" + IMAGES_PER_CLASS + "-test10-seed0")
                .resolve(CifarFormat.FOLDER)
                .resolve(CifarFormat.TRAIN_FILES.get(0));
        FileTime modified = Files.getLastModifiedTime(batch);
        try (RandomAccessFile file = new RandomAccessFile(batch.toFile(), "rw")) {
            file.seek(1 + 1000); // a pixel of the first record
            byte pixel = file.readByte();
            file.seek(1 + 1000);
            file.write(pixel ^ 0x5a);
        }
        Files.setLastModifiedTime(batch, modified);

        UUID damaged = UUID.randomUUID();
        HttpResponse<String> accepted = submit(damaged, "stratified-random");
        assertEquals(202, accepted.statusCode(), "size and time unchanged: accepted, " + accepted.body());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Lab.execute(
                    "watch",
                    damaged.toString(),
                    "--results-url",
                    stack.settings().resultsUrl(),
                    "--timeout",
                    "PT2M");
        } finally {
            System.setErr(before);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.EXPERIMENT_FAILED, exit, said);
        assertTrue(said.contains("experiment " + damaged + " failed (dataset): "), said);
        assertTrue(said.contains("has changed since it was verified"), said);

        JsonNode experiment =
                EventCodec.mapper().readTree(get("/experiments/" + damaged).body());
        assertEquals("failed", experiment.path("state").asText(), experiment.toString());
        assertEquals("dataset", experiment.path("failure").path("field").asText());
        assertTrue(get("/experiments/" + damaged + "/view").body().contains("failed-banner"));
    }

    private static HttpResponse<String> submit(UUID id, String policy) throws IOException, InterruptedException {
        String body =
                "{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"name\": \""
                        + policy + "\", \"samplesPerClass\": 3, \"seed\": " + Math.floorMod(System.nanoTime(), 1000)
                        + "}, \"strategies\": [\"full\"], \"hyperParameters\": {\"epochs\": 1, \"imageSize\": 8}}";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/experiments"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + stack.secrets().triggerToken())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().resultsUrl() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitState(UUID id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get("/experiments/" + id);
            last = answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 200
                    && state.equals(EventCodec.mapper()
                            .readTree(answer.body())
                            .path("state")
                            .asText())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("experiment " + id + " never " + state + ": " + last);
    }
}
