package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.Views;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The comparison end to end: one real broker and the three packaged services, two strategies over three seeds on the
 * synthetic set. What the trainers report after their final evaluations (confusion matrices, predictions files, cost)
 * must arrive in the comparison's JSON and {@code ./lab leaderboard --json}, on the page as a real headless Chromium
 * renders it, and in the report files {@code ./lab report} saves.
 */
class ComparisonEndToEndIT {
    private static final List<String> STRATEGIES = List.of("freeze", "partial");
    private static final List<Long> SEEDS = List.of(0L, 1L, 2L);
    /** TestStacks' synthetic test set: 10 images of each of the 10 classes. */
    private static final int TEST_IMAGES = 100;

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStacks.start("compare", 1, 8, Map.of());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoStrategiesOverThreeSeedsAreComparedEverywhereAUserLooks() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM),
                "/usr/bin/chromium is not installed: ./lab test installs it (scripts/test-tools)");
        HyperParameters hp = HyperParameters.builder()
                .epochs(1)
                .trainBatchSize(16)
                .evalBatchSize(50)
                .imageSize(16)
                .build();
        ExperimentRequested request = ExperimentRequested.create(
                UUID.randomUUID(),
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 8, 0L),
                STRATEGIES.stream().map(StrategySpec::named).toList(),
                hp,
                ModelSpec.trainerDefault(),
                SEEDS);
        ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);
        ResultsClient results = new ResultsClient(stack.settings().resultsUrl());
        ExperimentWatcher.watch(
                results,
                request.experimentId(),
                STRATEGIES.size(),
                Duration.ofMinutes(10),
                new ProgressView(System.out, false),
                () -> stack.check(System.out::println));
        String id = request.experimentId().toString();

        // the JSON: every run evaluated, its predictions file read and checked, matrices that sum to the test sets
        Views.Comparison comparison = results.comparison(request.experimentId()).orElseThrow();
        assertEquals(10, comparison.classes().size(), comparison.classes().toString());
        for (Views.StrategyEvaluation s : comparison.strategies()) {
            assertEquals(SEEDS.size(), s.evaluatedRuns(), s.strategy());
            assertEquals(SEEDS.size() * TEST_IMAGES, sum(s.confusionMatrix()), s.strategy() + " pooled matrix");
            for (Views.RunEvaluation run : s.runs()) {
                assertEquals("checked", run.predictions(), s.strategy() + " seed " + run.seed());
            }
            assertEquals(10, s.perClass().size());
            assertNotNull(s.calibration().expectedCalibrationError(), s.strategy());
        }
        assertTrue(comparison.notes().isEmpty(), comparison.notes().toString());
        Views.Verdict verdict = comparison.verdict();
        assertTrue(
                List.of("best", "indistinguishable", "split").contains(verdict.outcome()),
                "three paired seeds give a paired test: " + verdict);
        assertEquals("paired t-test over seeds 0, 1, 2", verdict.test(), verdict.toString());
        assertNotNull(verdict.pValue());
        assertEquals(SEEDS.size(), verdict.mcnemar().size(), "McNemar on every seed's predictions files");
        for (Views.SeedTest seed : verdict.mcnemar()) {
            assertEquals(TEST_IMAGES, seed.images(), seed.toString());
        }
        assertEquals(1, comparison.pairs().size());
        assertNotNull(comparison.cost());
        for (Views.StrategyCost cost : comparison.cost().strategies()) {
            assertEquals(SEEDS.size(), cost.runs(), cost.strategy());
            assertTrue(cost.meanDeviceSeconds() > 0 && cost.trainImagesPerSecond() > 0, cost.toString());
            assertNotNull(cost.projectedNotebookSeconds(), cost.toString());
        }

        // ./lab leaderboard: the verdict in the leaderboard's JSON, the comparison's JSON, the text tables
        String leaderboardJson = printed(
                "leaderboard", id, "--json", "--results-url", stack.settings().resultsUrl());
        Views.Leaderboard leaderboard = EventCodec.mapper().readValue(leaderboardJson, Views.Leaderboard.class);
        assertEquals(verdict, leaderboard.verdict());
        Views.Comparison printedComparison = EventCodec.mapper()
                .readValue(
                        printed(
                                "leaderboard",
                                id,
                                "--json",
                                "--comparison",
                                "--results-url",
                                stack.settings().resultsUrl()),
                        Views.Comparison.class);
        assertEquals(comparison.verdict(), printedComparison.verdict());
        assertEquals(comparison.strategies(), printedComparison.strategies());
        String text =
                printed("leaderboard", id, "--results-url", stack.settings().resultsUrl());
        System.out.print(text);
        assertTrue(text.contains("Verdict: " + verdict.text()), text);
        assertTrue(text.contains("Per-class accuracy (recall)") && text.contains("Cost per run"), text);

        // the page, rendered by a real headless Chromium
        String dom = chromium(results.pageUrl(request.experimentId()));
        assertMatricesAndVerdict(dom, verdict, "the page");
        assertTrue(dom.contains("id=\"cost\""), "the cost table is on the page");

        // the report files: HTML read by Chromium from the file alone, and Markdown
        Path html = stack.settings().workDir().resolve("report.html");
        assertEquals(
                ExitCodes.OK,
                Lab.execute(
                        "report",
                        id,
                        "-o",
                        html.toString(),
                        "--results-url",
                        stack.settings().resultsUrl()));
        String saved = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(saved.contains("<script src") || saved.contains("<link "), "nothing to fetch");
        assertMatricesAndVerdict(chromium(html.toUri().toString()), verdict, "the HTML report");
        Path markdown = stack.settings().workDir().resolve("report.md");
        assertEquals(
                ExitCodes.OK,
                Lab.execute(
                        "report",
                        id,
                        "-o",
                        markdown.toString(),
                        "--results-url",
                        stack.settings().resultsUrl()));
        String md = Files.readString(markdown, StandardCharsets.UTF_8);
        assertTrue(md.contains("data:image/svg+xml;base64,"), "charts inline");
        for (String strategy : STRATEGIES) {
            assertTrue(md.contains("| " + strategy + " |"), md);
        }
        assertEquals(
                ExitCodes.EXPERIMENT_FAILED,
                Lab.execute(
                        "report",
                        UUID.randomUUID().toString(),
                        "-o",
                        stack.settings().workDir().resolve("none.html").toString(),
                        "--results-url",
                        stack.settings().resultsUrl()));
        assertFalse(Files.exists(stack.settings().workDir().resolve("none.html")), "nothing written for a 404");
    }

    /** One heat map per strategy whose cells add up to its runs' test images, and the verdict's sentence. */
    private static void assertMatricesAndVerdict(String dom, Views.Verdict verdict, String where) {
        Matcher heatmaps = Pattern.compile("class=\"chart confusion-heatmap\"").matcher(dom);
        int count = 0;
        while (heatmaps.find()) {
            count++;
        }
        assertEquals(STRATEGIES.size(), count, "one heat map per strategy on " + where);
        Matcher cells =
                Pattern.compile("class=\"cell\"[^>]*data-count=\"(\\d+)\"").matcher(dom);
        long total = 0;
        while (cells.find()) {
            total += Long.parseLong(cells.group(1));
        }
        assertEquals(STRATEGIES.size() * SEEDS.size() * TEST_IMAGES, total, "heat-map cells on " + where);
        String sentence =
                verdict.text().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        assertTrue(dom.contains(sentence), "the verdict on " + where + ": " + sentence);
        assertTrue(dom.contains("id=\"per-class\""), "the per-class table on " + where);
    }

    private static long sum(List<List<Long>> matrix) {
        return matrix.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
    }

    /** What {@code ./lab ARGS} prints on stdout; it must succeed. */
    private static String printed(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Lab.execute(args);
        } finally {
            System.setOut(before);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OK, code, printed);
        return printed;
    }

    /** The DOM of {@code url} after a real headless Chromium loaded it (scripts run, SVG parsed). */
    private static String chromium(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(stack.settings().workDir(), "chromium-");
        Path out = profile.resolve("dom.html");
        Path err = profile.resolve("stderr.txt");
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
                "--user-data-dir=" + profile.resolve("profile"),
                "--dump-dom",
                url));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
        }
        assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
