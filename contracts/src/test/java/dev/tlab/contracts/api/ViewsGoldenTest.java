package dev.tlab.contracts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JavaType;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
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
        Views.Epoch epoch = new Views.Epoch(1, 2, 1.25, 0.61, 30.5, 120.0, 0.4);
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
                        "9f0c".repeat(16), 44_800_000L, "/experiments/" + EXPERIMENT + "/jobs/" + JOB + "/model"));
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
                        Precision.BF16)),
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

    static Stream<Arguments> samples() {
        var types = EventCodec.mapper().getTypeFactory();
        return Stream.of(
                Arguments.of("Experiment", experiment(), types.constructType(Views.Experiment.class)),
                Arguments.of("Leaderboard", leaderboard(), types.constructType(Views.Leaderboard.class)),
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
