package dev.tlab.contracts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JavaType;
import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON of the REST views (what the results service answers and lab-cli reads) and of the error body, pinned by
 * files under src/test/resources/golden/views: a renamed or retyped field shows as a diff there. Run with
 * -Dgolden.update=true to rewrite them after an intended change.
 */
class ViewsGoldenTest {
    private static final UUID EXPERIMENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID JOB = UUID.fromString("b5f24ce0-acef-3e66-b162-3e2e68c0ec58");
    private static final Instant AT = Instant.parse("2026-11-28T00:00:00Z");

    static Views.Best best() {
        return new Views.Best("partial", 0.8431, 84.31);
    }

    static Views.Run run() {
        Views.Epoch epoch = new Views.Epoch(1, 2, 1.25, 0.61, 30.5, 120.0, 0.4, null, null);
        return new Views.Run(
                JOB,
                0,
                2,
                "completed",
                0.8431,
                8398858L,
                11181642L,
                321.5,
                "gpu(0)",
                null,
                1,
                1,
                1,
                1.0,
                List.of(epoch),
                List.of(new Views.FailedAttempt(1, "trainer died", AT)),
                null,
                null,
                null,
                AT.plusSeconds(70),
                AT.plusSeconds(392),
                new RunEnvironment(
                        "PyTorch",
                        "0.36.0",
                        "2.7.1",
                        "cu128",
                        "0.1.0-SNAPSHOT",
                        "trainer-7c9f",
                        RunEnvironment.CHANNELS_LAST),
                Precision.BF16,
                new Views.ModelFile(
                        "9f0c".repeat(16), 44_800_000L, "/experiments/" + EXPERIMENT + "/jobs/" + JOB + "/model"),
                null);
    }

    static SelectedEpoch selected() {
        return new SelectedEpoch(
                2,
                3,
                EpochSelection.VAL_ACCURACY,
                0.8125,
                true,
                "highest validation accuracy (0.8125); stopped after 1 epoch without improvement" + " (patience 1)");
    }

    /**
     * A run tested on a selected epoch: every epoch with its validation figures, and which epoch was tested and why.
     */
    static Views.Run runWithSelection() {
        Views.Run run = run();
        return new Views.Run(
                run.jobId(),
                run.seed(),
                1,
                run.state(),
                run.testAccuracy(),
                run.trainableParameters(),
                run.totalParameters(),
                run.wallSeconds(),
                run.device(),
                null,
                1,
                5,
                3,
                1.0,
                List.of(
                        new Views.Epoch(1, 1, 1.25, 0.61, 30.5, 120.0, 0.4, 0.9875, 0.75),
                        new Views.Epoch(2, 1, 0.98, 0.72, 30.1, 121.6, 0.4, 0.7125, 0.8125),
                        new Views.Epoch(3, 1, 0.81, 0.79, 30.2, 121.2, 0.4, 0.7375, 0.8125)),
                List.of(),
                null,
                null,
                null,
                run.startedAt(),
                run.finishedAt(),
                run.environment(),
                run.precision(),
                run.model(),
                selected());
    }

    static Views.Leaderboard leaderboard() {
        return new Views.Leaderboard(
                EXPERIMENT,
                "cifar10",
                false,
                "completed",
                List.of(new Views.LeaderboardRow(
                        1,
                        "partial",
                        "completed",
                        0.8431,
                        84.31,
                        8398858L,
                        11181642L,
                        1,
                        null,
                        null,
                        null,
                        Precision.BF16,
                        null)),
                best(),
                new Views.Cancellation(AT, "wrong dataset"));
    }

    static Views.Experiment experiment() {
        Views.Run run = run();
        Views.Strategy strategy = new Views.Strategy(
                "partial",
                "completed",
                1,
                1,
                1,
                0.8431,
                null,
                null,
                null,
                8398858L,
                11181642L,
                321.5,
                "gpu(0)",
                Precision.BF16,
                1.0,
                run.epochs(),
                List.of(run));
        return new Views.Experiment(
                EXPERIMENT,
                AT,
                AT.plusSeconds(400),
                7,
                "completed",
                "cifar10",
                false,
                "m-0123456789abcdef0123456789abcdef",
                List.of("partial"),
                best(),
                List.of(strategy),
                leaderboard(),
                new Views.Cancellation(AT, "wrong dataset"),
                new Views.Request(
                        "cifar10",
                        false,
                        "m-0123456789abcdef0123456789abcdef",
                        "ab".repeat(32),
                        "cd".repeat(32),
                        "ef".repeat(32),
                        SubsetPolicy.notebook(),
                        List.of(StrategySpec.named("partial")),
                        HyperParameters.notebook().withPrecision(Precision.BF16),
                        new ModelSpec(
                                ModelSpec.BUILT_IN_RESNET18,
                                null,
                                "/models/resnet18.tv_in1k.safetensors",
                                "69".repeat(32)),
                        List.of(0L),
                        AT),
                new Views.BestModel(
                        JOB,
                        "partial",
                        0,
                        0.8431,
                        "9f0c".repeat(16),
                        44_800_000L,
                        "/experiments/" + EXPERIMENT + "/jobs/" + JOB + "/model"),
                new Views.Failure(
                        AT.plusSeconds(2), "dataset", "the dataset in /data has changed since it was verified"));
    }

    static Views.Verdict verdict() {
        Views.PairedT t = new Views.PairedT(2, 0.0215, 0.0035, -0.0099, 0.0529, 8.6857, 0.073);
        return new Views.Verdict(
                "indistinguishable",
                "partial",
                "freeze",
                List.of(0L, 1L),
                "paired t-test over seeds 0, 1",
                0.073,
                0.05,
                t,
                List.of(new Views.SeedTest(0, 31, 12, 300, 0.0049), new Views.SeedTest(1, 28, 15, 300, 0.066)),
                "partial and freeze are indistinguishable on this data (p = 0.073, paired t-test over seeds 0, 1)");
    }

    /** Two strategies, three classes, two seeds each: what GET /experiments/{id}/comparison answers. */
    static Views.Comparison comparison() {
        Views.Calibration calibration = new Views.Calibration(
                600,
                0.0412,
                List.of(
                        new Views.CalibrationBin(0.0, 1.0 / 15, 0, null, null),
                        new Views.CalibrationBin(0.6, 2.0 / 3, 120, 0.63, 0.58)),
                new Views.CalibrationBin(1.0, 1.0, 12, 1.0, 1.0));
        Views.StrategyEvaluation partial = new Views.StrategyEvaluation(
                "partial",
                2,
                2,
                0.8433,
                0.8451,
                0.8433,
                0.8438,
                List.of(
                        new Views.ClassMetrics("cat", 200, 0.81, 0.79, 0.7999),
                        new Views.ClassMetrics("dog", 200, 0.80, 0.83, 0.8147),
                        new Views.ClassMetrics("frog", 200, 0.925, 0.91, 0.9174)),
                List.of(List.of(158L, 30L, 12L), List.of(28L, 166L, 6L), List.of(9L, 9L, 182L)),
                calibration,
                List.of(
                        new Views.RunEvaluation(JOB, 0, 0.845, 0.8452, 0.0398, "checked"),
                        new Views.RunEvaluation(
                                UUID.fromString("4d1b8b50-0d1f-3b5e-9a59-6a3c9b1a2f10"),
                                1,
                                0.8417,
                                0.8421,
                                0.0431,
                                "missing: the model store holds no file")));
        Views.StrategyEvaluation freeze = new Views.StrategyEvaluation(
                "freeze", 2, 0, 0.8218, null, null, null, List.of(), null, null, List.of());
        Views.PairTest pair = new Views.PairTest(
                "partial",
                "freeze",
                List.of(0L, 1L),
                0.0215,
                verdict().tTest(),
                verdict().mcnemar());
        Views.Cost cost = new Views.Cost(
                List.of(
                        new Views.StrategyCost(
                                "freeze",
                                2,
                                41.5,
                                3.2,
                                44.7,
                                89.4,
                                96.4,
                                312.5,
                                812_000_000L,
                                "process-rss",
                                0.8218,
                                343.2,
                                null),
                        new Views.StrategyCost(
                                "partial",
                                2,
                                52.0,
                                3.1,
                                55.1,
                                110.2,
                                76.9,
                                322.6,
                                845_000_000L,
                                "process-rss",
                                0.8433,
                                421.1,
                                744.2)),
                "freeze",
                null,
                List.of("cpu()"),
                List.of(32));
        java.util.Map<String, Double> byStrategy = new java.util.LinkedHashMap<>();
        byStrategy.put("freeze", 0.77);
        byStrategy.put("partial", 0.83);
        return new Views.Comparison(
                EXPERIMENT,
                "completed",
                List.of("cat", "dog", "frog"),
                verdict(),
                List.of(freeze, partial),
                List.of(new Views.ClassDifference("dog", 0.06, "partial", 0.83, "freeze", 0.77, byStrategy)),
                List.of(pair),
                cost,
                List.of("freeze: no run reported an evaluation (its trainers are older than the comparison)"));
    }

    /** The leaderboard of a dataset of the user's own images: its class names and what its manifest says. */
    static Views.Leaderboard leaderboardOfImages() {
        Views.Leaderboard cifar = leaderboard();
        Views.DatasetReport report = new Views.DatasetReport(
                List.of(
                        new ImageManifest.SplitSummary("train", "seeded", 21, List.of(7, 8, 6), "e".repeat(64)),
                        new ImageManifest.SplitSummary("val", "seeded", 3, List.of(1, 1, 1), "1".repeat(64)),
                        new ImageManifest.SplitSummary("test", "seeded", 6, List.of(2, 2, 2), "f".repeat(64))),
                new ImageManifest.Subset("all", null, 0, 21, List.of(7, 8, 6), "e".repeat(64)),
                3,
                List.of(new ImageManifest.RejectedFile(
                        "pets/dog/broken.jpg", "truncated", "Premature end of JPEG file")),
                1,
                List.of(new ImageManifest.Leak(
                        "2".repeat(64), "train", "pets/cat/a.jpg", "test", "pets/cat/a-copy.jpg")),
                List.of(new Views.DatasetNote(
                        "exif-rotated",
                        2,
                        "2 images have an EXIF orientation: trained as stored, as torchvision does")));
        return new Views.Leaderboard(
                cifar.experimentId(),
                "images",
                false,
                cifar.state(),
                cifar.rows(),
                cifar.best(),
                null,
                List.of("cat", "dog", "zebra"),
                null,
                report);
    }

    /** The leaderboard of a strategy tested on selected epochs: each seed's. */
    static Views.Leaderboard leaderboardWithSelection() {
        Views.Leaderboard plain = leaderboard();
        Views.LeaderboardRow row = plain.rows().get(0);
        return new Views.Leaderboard(
                plain.experimentId(),
                "images",
                false,
                plain.state(),
                List.of(new Views.LeaderboardRow(
                        row.rank(),
                        row.strategy(),
                        row.state(),
                        row.testAccuracy(),
                        row.testAccuracyPercent(),
                        row.trainableParameters(),
                        row.totalParameters(),
                        row.seeds(),
                        row.testAccuracyStd(),
                        row.ci95Low(),
                        row.ci95High(),
                        row.precision(),
                        List.of(new Views.SeedSelection(0, selected())))),
                plain.best(),
                null);
    }

    static Stream<Arguments> samples() {
        var types = EventCodec.mapper().getTypeFactory();
        return Stream.of(
                Arguments.of("Experiment", experiment(), types.constructType(Views.Experiment.class)),
                Arguments.of("Leaderboard", leaderboard(), types.constructType(Views.Leaderboard.class)),
                Arguments.of(
                        "LeaderboardWithVerdict",
                        leaderboard().withVerdict(verdict()),
                        types.constructType(Views.Leaderboard.class)),
                Arguments.of(
                        "LeaderboardOfImages", leaderboardOfImages(), types.constructType(Views.Leaderboard.class)),
                Arguments.of("Comparison", comparison(), types.constructType(Views.Comparison.class)),
                Arguments.of("RunWithSelection", runWithSelection(), types.constructType(Views.Run.class)),
                Arguments.of(
                        "LeaderboardWithSelection",
                        leaderboardWithSelection(),
                        types.constructType(Views.Leaderboard.class)),
                Arguments.of(
                        "ExperimentsPage",
                        new Views.Page<>(
                                0,
                                20,
                                1,
                                List.of(new Views.Summary(
                                        EXPERIMENT,
                                        AT,
                                        AT.plusSeconds(400),
                                        "completed",
                                        "cifar10",
                                        false,
                                        3,
                                        3,
                                        best()))),
                        types.constructParametricType(Views.Page.class, Views.Summary.class)),
                Arguments.of(
                        "UnknownExperimentsPage",
                        new Views.Page<>(
                                0,
                                20,
                                1,
                                List.of(new Views.UnknownExperiment(
                                        EXPERIMENT, 4, List.of("full"), AT, AT.plusSeconds(60)))),
                        types.constructParametricType(Views.Page.class, Views.UnknownExperiment.class)),
                Arguments.of(
                        "ApiError",
                        new ApiError(400, "size", "must be in 1..200, was 0"),
                        types.constructType(ApiError.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void jsonMatchesGoldenFile(String name, Object sample, JavaType type) throws IOException {
        String written = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample) + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden/views", name + ".json"), written);
        }
        try (InputStream golden = getClass().getResourceAsStream("/golden/views/" + name + ".json")) {
            assertTrue(golden != null, "missing golden file " + name + " (run with -Dgolden.update=true)");
            String expected = new String(golden.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(
                    EventCodec.mapper().readTree(expected),
                    EventCodec.mapper().readTree(written),
                    "JSON of " + name + " changed");
            Object read = EventCodec.mapper().readValue(expected, type);
            assertEquals(sample, read, "golden " + name + " no longer reads back");
        }
    }
}
