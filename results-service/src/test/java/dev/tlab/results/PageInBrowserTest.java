package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opens the experiment page in a real headless Chromium (Debian's /usr/bin/chromium): the rendered DOM must hold the
 * bar chart (one bar per finished strategy, the notebook's title and axis label) and the synthetic-data banner, and a
 * screenshot is saved to target/results-page.png; and a page left open receives, over server-sent events and without a
 * reload or a poll, what is published to the broker after it loaded; and a job with epoch selection shows its
 * validation curves and tested epoch. Fails, never skips, where Chromium is not installed: {@code ./lab test} installs
 * it.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PageInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TestHTTPResource("/")
    URL base;

    @Test
    void experimentPageRendersTheChartInHeadlessChromium() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM),
                "/usr/bin/chromium is not installed: ./lab test installs it (scripts/test-tools)");
        ResultsServiceTest.scenarioPublished();
        String url = base.toString().replaceAll("/$", "") + "/experiments/" + ResultsServiceTest.EXPERIMENT + "/view";

        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path screenshot = target.resolve("results-page.png");
        Files.deleteIfExists(screenshot);
        Path profile = Files.createTempDirectory("results-chromium-");
        try {
            String dom = chromium(profile, "--dump-dom", url);
            Matcher bars = Pattern.compile("<rect class=\"bar\"").matcher(dom);
            int count = 0;
            while (bars.find()) {
                count++;
            }
            assertEquals(3, count, "one bar per finished strategy in the rendered DOM");
            assertTrue(dom.contains("Transfer Learning Strategy Comparison"));
            assertTrue(dom.contains("Test Accuracy (%)"));
            assertTrue(dom.contains("83.00%"));
            assertTrue(dom.contains("id=\"synthetic-banner\""), "the synthetic warning is on the page");
            assertTrue(dom.contains("<polyline"), "the epoch curves are on the page");

            chromium(profile, "--screenshot=" + screenshot, url);
            assertTrue(Files.exists(screenshot), "screenshot written");
            long size = Files.size(screenshot);
            assertTrue(size > 20_000, "a page with charts is not a blank screenshot: " + size + " bytes");
        } finally {
            deleteQuietly(profile);
        }
    }

    /**
     * The page stays open in Chromium while a job runs: epochs and the result published to Kafka after the page loaded
     * appear in its DOM, pushed by the server (the page's EventSource counts the pushes), with no reload and no request
     * other than the one event stream.
     */
    @Test
    void aPageLeftOpenShowsEventsPublishedAfterItLoadedWithoutPolling() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM),
                "/usr/bin/chromium is not installed: ./lab test installs it (scripts/test-tools)");
        Script script = new Script(UUID.randomUUID(), Instant.now());
        String id = script.experimentId().toString();
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), id, EventCodec.toJson(script.job("full", 0)));
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                id,
                EventCodec.toJson(script.started("full", 0, 1, 1, 3, "cifar-10", false)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("running")));
        String view = base.toString().replaceAll("/$", "") + "/experiments/" + id + "/view";

        Path profile = Files.createTempDirectory("results-chromium-sse-");
        try (DevToolsPage page = DevToolsPage.open(CHROMIUM, profile, view)) {
            // loaded, and the event stream delivered its first push (the state at connection time)
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> page.evaluate(
                                    "document.getElementById('live') !== null"
                                            + " && document.getElementById('live').getAttribute('data-pushed-updates') !== null")
                            .asBoolean());
            page.evaluate("window.loadedOnce = 'yes'"); // gone if the page were reloaded
            assertFalse(page.evaluate("document.getElementById('live').innerHTML")
                    .asText()
                    .contains("61.23%"));

            for (int epoch = 1; epoch <= 3; epoch++) {
                TestKafka.send(
                        Topic.TRAINING_EVENTS.topicName(),
                        id,
                        EventCodec.toJson(script.epoch("full", 0, 1, epoch, 3, 2.0 / epoch, 0.2 * epoch)));
            }
            TestKafka.send(
                    Topic.TRAINING_EVENTS.topicName(),
                    id,
                    EventCodec.toJson(script.completed("full", 0, 1, 0.6123, 3)));

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> page.evaluate("document.getElementById('live').innerHTML")
                            .asText()
                            .contains("61.23%"));
            String live =
                    page.evaluate("document.getElementById('live').innerHTML").asText();
            assertTrue(live.contains("<rect class=\"bar\" data-strategy=\"full\""), "the bar chart was re-rendered");
            assertTrue(live.contains("<polyline"), "the epochs' curves arrived");
            assertEquals("yes", page.evaluate("window.loadedOnce").asText(), "no reload");
            assertTrue(
                    page.evaluate("Number(document.getElementById('live').getAttribute('data-pushed-updates'))")
                                    .asInt()
                            >= 2,
                    "the update was pushed over the event stream");
            // Resource Timing lists every fetch/XHR and sub-resource, not the EventSource stream itself
            List<String> requests = page.requestedUrls();
            assertTrue(
                    requests.stream().noneMatch(url -> url.contains("/experiments/")),
                    "after loading, the page asked the server nothing (no polling, no reload): " + requests);
        } finally {
            deleteQuietly(profile);
        }
    }

    /**
     * A job with epoch selection, published to the broker: the REST views carry its validation figures and the epoch it
     * was tested on, and the page in Chromium draws the dotted validation curves, the ring on that epoch and says it in
     * the jobs table.
     */
    @Test
    void aJobTestedOnItsBestValidationEpochIsShownInTheBrowser() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM),
                "/usr/bin/chromium is not installed: ./lab test installs it (scripts/test-tools)");
        Script script = new Script(UUID.randomUUID(), Instant.now());
        String id = script.experimentId().toString();
        List<Object> events = new ArrayList<>();
        events.add(script.job("partial", 0, 1, "m-selection", "images", false, 4));
        events.add(script.started("partial", 0, 1, 1, 4, "images", false));
        double[] valAccuracy = {0.70, 0.80, 0.75};
        for (int epoch = 1; epoch <= 3; epoch++) {
            events.add(script.epoch(
                    "partial",
                    0,
                    1,
                    epoch,
                    4,
                    1.5 / epoch,
                    0.3 * epoch,
                    1.1 - valAccuracy[epoch - 1],
                    valAccuracy[epoch - 1]));
        }
        events.add(script.completed(
                "partial",
                0,
                1,
                0.79,
                new SelectedEpoch(
                        2, 3, EpochSelection.VAL_ACCURACY, 0.80, true, "highest validation accuracy (0.8000)")));
        for (Object event : events) {
            TestKafka.send(
                    event instanceof TrainingJob ? Topic.TRAINING_JOBS.topicName() : Topic.TRAINING_EVENTS.topicName(),
                    id,
                    EventCodec.toJson(event));
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("completed"))
                        .body("strategies[0].runs[0].selection.epoch", equalTo(2))
                        .body("strategies[0].runs[0].epochs[1].valAccuracy", equalTo(0.8f))
                        .body("leaderboard.rows[0].selectedEpochs[0].selection.stoppedEarly", equalTo(true)));

        String url = base.toString().replaceAll("/$", "") + "/experiments/" + id + "/view";
        Path profile = Files.createTempDirectory("results-chromium-selection-");
        try {
            String dom = chromium(profile, "--dump-dom", url);
            assertEquals(2, count(dom, "<polyline class=\"curve validation\""), "validation loss and accuracy");
            assertEquals(2, count(dom, "<circle class=\"selected-epoch\""), "the tested epoch in both panels");
            assertTrue(
                    dom.contains("<span class=\"selected-epoch\">tested on epoch 2 of 3, stopped early</span>"), dom);
            assertTrue(dom.contains("highest validation accuracy (0.8000)"), dom);
        } finally {
            deleteQuietly(profile);
        }
    }

    private static int count(String text, String what) {
        Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static String chromium(Path profile, String mode, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1200,900",
                mode,
                url));
        Path out = Files.createTempFile("chromium-out-", ".txt");
        Path err = Files.createTempFile("chromium-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(err));
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Deletes a Chromium profile; a leftover temp folder is harmless. Chromium's helper processes may still be removing
     * files of it after the browser exited: a file that vanishes during the walk is not an error (it once failed a CI
     * run), and a folder they refilled is tried again, a few times.
     */
    private static void deleteQuietly(Path folder) {
        for (int attempt = 0; attempt < 5 && Files.exists(folder); attempt++) {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // vanished while walking: walk again
            }
            if (Files.exists(folder)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
