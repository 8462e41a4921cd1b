package dev.tlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opens the experiment page in a real headless Chromium (Debian's /usr/bin/chromium): the rendered DOM must hold the
 * bar chart (one bar per finished strategy, the notebook's title and axis label) and the synthetic-data banner, and
 * a screenshot is saved to target/results-page.png. Skipped, with a message, where Chromium is not installed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PageInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TestHTTPResource("/")
    URL base;

    @Test
    void experimentPageRendersTheChartInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "/usr/bin/chromium is not installed: browser check skipped");
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

    private static String chromium(Path profile, String mode, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900",
                mode, url));
        Path out = Files.createTempFile("chromium-out-", ".txt");
        Path err = Files.createTempFile("chromium-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
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

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
