package dev.tlab.results.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.testdata.Script;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every REST view the store builds (an experiment in each state a job can be in, a cancelled one, the list and the
 * experiments kept apart), written as JSON and held byte for byte against a file under src/test/resources/golden/. The
 * views are assembled outside the aggregate; this pins that what they say did not change when they moved or when the
 * aggregate's rules change shape. Run with -Dgolden.update=true to rewrite the file after an intended change.
 */
class AssembledViewsTest {
    private static final String GOLDEN = "golden/assembled-views.json";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final RunEnvironment GPU = new RunEnvironment(
            "PyTorch", "0.36.0", "2.7.1", "cu128", "0.1.0-SNAPSHOT", "trainer-0", RunEnvironment.CHANNELS_LAST);
    private static final RunEnvironment CPU = new RunEnvironment(
            "PyTorch", "0.36.0", "2.7.1", "cpu", "0.1.0-SNAPSHOT", "trainer-1", RunEnvironment.CONTIGUOUS);

    @Test
    void theViewsOfAScenarioAreTheGoldenOnes() throws IOException {
        Script main =
                new Script(UUID.fromString("00000000-0000-4000-8000-00000000000a"), T0).inPrecision(Precision.BF16);
        Script cancelled = new Script(UUID.fromString("00000000-0000-4000-8000-00000000000b"), T0.plusSeconds(60));
        Script stray = new Script(UUID.fromString("00000000-0000-4000-8000-00000000000c"), T0.plusSeconds(120));
        ResultsStore store = new ResultsStore();

        // the main experiment: two seeds of freeze, partial resumed, full failing for good, a custom strategy running,
        // retrying and queued
        for (String strategy : List.of("freeze", "partial", "full", "layer3")) {
            store.apply(main.job(strategy, 0, 1, "m-1", "cifar-10", false, 3, T0));
        }
        store.apply(main.job("freeze", 1, 1, "m-1", "cifar-10", false, 3, T0));
        store.apply(main.job("layer3", 1, 1, "m-1", "cifar-10", false, 3, T0));
        store.apply(main.job("layer3", 2, 1, "m-1", "cifar-10", false, 3, T0));
        store.apply(Script.manifest("m-1", "cifar-10", false));

        store.apply(main.started("freeze", 0, 1, GPU));
        for (int epoch = 1; epoch <= 3; epoch++) {
            store.apply(main.epoch("freeze", 0, 1, epoch, 3, 2.0 / epoch, 0.3 + 0.1 * epoch));
        }
        store.apply(main.completed("freeze", 0, 1, 0.7712, T0.plusSeconds(5), GPU, model(main, "freeze", 0, "1")));
        store.apply(main.started("freeze", 1, 1, 1, 3, "cifar-10", false));
        store.apply(main.epoch("freeze", 1, 1, 1, 3, 1.9, 0.35));
        store.apply(main.completed("freeze", 1, 1, 0.7650, 3));

        store.apply(main.started("partial", 0, 1, 1, 3, "cifar-10", false));
        store.apply(main.epoch("partial", 0, 1, 1, 3, 1.5, 0.5));
        store.apply(main.epoch("partial", 0, 1, 2, 3, 1.1, 0.6));
        store.apply(main.started("partial", 0, 2, CPU)); // the first trainer died: attempt 2 from epoch 1
        store.apply(main.epoch("partial", 0, 2, 1, 3, 1.4, 0.55));
        store.apply(main.epoch("partial", 0, 2, 2, 3, 1.0, 0.65));
        store.apply(main.epoch("partial", 0, 2, 3, 3, 0.8, 0.7));
        store.apply(main.completed("partial", 0, 2, 0.8431, T0.plusSeconds(9), CPU, model(main, "partial", 0, "2")));

        store.apply(main.started("full", 0, 1, 1, 3, "cifar-10", false));
        store.apply(main.failed(
                "full", 0, 1, "CUDA out of memory", 2, List.of(new FailedAttempt(1, "CUDA out of memory", T0))));
        store.apply(main.job("full", 0, 2, "m-1", "cifar-10", false, 3, T0));
        store.apply(main.failed(
                "full",
                0,
                2,
                "failed 2 times: CUDA out of memory; connection refused",
                null,
                List.of(
                        new FailedAttempt(1, "CUDA out of memory", T0),
                        new FailedAttempt(2, "connection refused", T0.plusSeconds(30)))));

        store.apply(main.started("layer3", 0, 1, 1, 3, "cifar-10", false));
        store.apply(main.epoch("layer3", 0, 1, 1, 3, 1.7, 0.45));
        store.apply(main.failed("layer3", 1, 1, "dataset service answered 503", 2, List.of()));

        // a cancelled experiment: one job stopped while it ran, one never started, one retrying
        store.apply(cancelled.job("freeze", 0));
        store.apply(cancelled.job("full", 0));
        store.apply(cancelled.job("partial", 0));
        store.apply(cancelled.started("full", 0, 1, 1, 3, "cifar-10", false));
        store.apply(cancelled.epoch("full", 0, 1, 1, 3, 1.2, 0.5));
        store.apply(cancelled.failed(
                "partial", 0, 1, "dataset service answered 503", 2, List.of(new FailedAttempt(1, "503", T0))));
        store.apply(cancelled.cancelled("wrong dataset"));
        store.apply(cancelled.cancelledJob("full", 0, 1, 1));

        // training events of an experiment nobody announced
        store.apply(stray.started("full", 0, 1, 1, 3, "cifar-10", false));
        store.apply(stray.epoch("full", 0, 1, 1, 3, 1.0, 0.5));

        Map<String, Object> views = new LinkedHashMap<>();
        views.put("experiment", store.find(main.experimentId()).orElseThrow());
        views.put("cancelled", store.find(cancelled.experimentId()).orElseThrow());
        views.put("list", store.list(0, 10));
        views.put("unknown", store.unknown(0, 10));
        String written = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(views) + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), written);
        }
        try (InputStream golden = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertNotNull(golden, "missing " + GOLDEN + " (run with -Dgolden.update=true)");
            assertEquals(new String(golden.readAllBytes(), StandardCharsets.UTF_8), written);
        }
    }

    private static ModelArtifact model(Script script, String strategy, long seed, String digit) {
        UUID job = TrainingJob.jobIdFor(script.experimentId(), strategy, seed);
        return new ModelArtifact(script.experimentId() + "/" + job + ".pt", digit.repeat(64), 44_800_000L);
    }
}
