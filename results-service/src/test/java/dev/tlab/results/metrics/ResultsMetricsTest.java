package dev.tlab.results.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.ResultsConfig;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Evaluations;
import dev.tlab.results.testdata.Script;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultsMetricsTest {
    /** The gauges of a strategy: accuracy, loss, train accuracy, then macro F1, ECE and four of cost. */
    private static final int PER_STRATEGY = 9;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResultsStore store = new ResultsStore();
    private ResultsMetrics metrics = metrics(20);

    private ResultsMetrics metrics(int maxExperiments) {
        ResultsConfig config = keeping(maxExperiments);
        return new ResultsMetrics(registry, store, new Comparisons(store, config), config);
    }

    /** The settings of a service whose gauges follow the newest {@code maxExperiments} experiments. */
    private static ResultsConfig keeping(int maxExperiments) {
        return new ResultsConfig() {
            @Override
            public Optional<Path> modelStore() {
                return Optional.empty();
            }

            @Override
            public Metrics metrics() {
                return () -> maxExperiments;
            }
        };
    }

    /** A rebuild may read an experiment's events before its jobs: its gauges appear once a job announces it. */
    @Test
    void anExperimentAnnouncedAfterItsEventsGetsTheGaugesOfEveryStrategy() {
        Script s = new Script(UUID.randomUUID(), Instant.parse("2026-05-01T00:00:00Z"));
        apply(s.started("partial", 0, 1, 1, 2, "cifar-10", false));
        apply(s.epoch("partial", 0, 1, 1, 2, 1.0, 0.5));
        apply(s.completed("partial", 0, 1, 0.8, 2));
        assertEquals(0, metrics.perExperimentGauges(), "not an experiment yet");

        apply(s.job("freeze", 0, 1, "m-1", "cifar-10", false, 2)); // announces it
        apply(s.job("partial", 0, 1, "m-1", "cifar-10", false, 2)); // stale: that job completed already
        assertEquals(
                0.8,
                registry.get(ResultsMetrics.TEST_ACCURACY)
                        .tag("experiment", s.experimentId().toString())
                        .tag("strategy", "partial")
                        .gauge()
                        .value(),
                1e-12);
        assertEquals(
                2 * PER_STRATEGY + 1,
                metrics.perExperimentGauges(),
                "partial and freeze, and the experiment's verdict");
    }

    /** A batch that announces several experiments: after it, exactly the newest ones carry gauges. */
    @Test
    void afterABatchTheNewestExperimentsCarryTheGauges() {
        metrics = metrics(2);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Script s = new Script(
                    UUID.randomUUID(), Instant.parse("2026-05-01T00:00:00Z").plusSeconds(60L * i));
            ids.add(s.experimentId());
            TrainingJob job = s.job("full", 0);
            metrics.recorded(
                    job.type(),
                    store.apply(job),
                    job.experimentId(),
                    job.strategy().name());
            TrainingEvent started = s.started("full", 0, 1, 1, 2, "cifar-10", false);
            metrics.recorded(started.type(), store.apply(started), s.experimentId(), "full");
        }
        assertEquals(0, metrics.perExperimentGauges(), "nothing follows before the batch ends");
        metrics.followNewest();
        assertEquals(2 * (PER_STRATEGY + 1), metrics.perExperimentGauges(), "two experiments, one strategy each");
        for (int i = 0; i < 3; i++) {
            boolean kept = !registry.find(ResultsMetrics.TEST_ACCURACY)
                    .tag("experiment", ids.get(i).toString())
                    .gauges()
                    .isEmpty();
            assertEquals(i > 0, kept, "experiment " + i);
        }
    }

    /**
     * The comparison's gauges of a strategy read its figures at scrape time: macro F1, the calibration error, the mean
     * device-seconds, training speed, peak memory and points per device-hour; and whether the leader is significantly
     * better.
     */
    @Test
    void theComparisonsGaugesShowEachStrategysFigures() {
        Script s = new Script(UUID.randomUUID(), Instant.parse("2026-05-01T00:00:00Z"));
        List<String> classes = List.of("cat", "dog");
        for (String strategy : List.of("partial", "full")) {
            int[][] p = Evaluations.predictions(100, 2, i -> strategy.equals("full") ? i % 10 == 0 : i % 4 == 0);
            apply(s.job(strategy, 0, 1, "m-1", "synthetic", true, 3));
            apply(s.completed(
                    strategy,
                    0,
                    1,
                    Evaluations.of(classes, p[0], p[1], 0.75, null, s.experimentId(), strategy, 0),
                    Evaluations.cost(strategy.equals("full") ? 150 : 50, 1_000, 10, 100)));
        }
        assertEquals(0.9, gauge(ResultsMetrics.TEST_ACCURACY, s, "full"), 1e-12);
        // every tenth image is a cat taken for a dog: cat precision 1, recall 0.8; dog precision 5/6, recall 1
        assertEquals((8.0 / 9 + 10.0 / 11) / 2, gauge(ResultsMetrics.MACRO_F1, s, "full"), 1e-12);
        assertEquals(0.15, gauge(ResultsMetrics.CALIBRATION_ERROR, s, "full"), 1e-12, "|0.9 - 0.75|");
        assertEquals(160.0, gauge(ResultsMetrics.DEVICE_SECONDS, s, "full"), 1e-12);
        assertEquals(1_000 / 150.0, gauge(ResultsMetrics.TRAIN_IMAGES_PER_SECOND, s, "full"), 1e-12);
        assertEquals(900_000_000.0, gauge(ResultsMetrics.PEAK_MEMORY, s, "full"), 1e-3);
        assertEquals(100 * 0.15 / (100 / 3600.0), gauge(ResultsMetrics.POINTS_PER_DEVICE_HOUR, s, "full"), 1e-9);
        assertTrue(Double.isNaN(gauge(ResultsMetrics.POINTS_PER_DEVICE_HOUR, s, "partial")), "the cheapest");
        // one seed without predictions files: no paired test, so no claim
        assertEquals(
                0.0,
                registry.get(ResultsMetrics.BEST_SIGNIFICANT)
                        .tag("experiment", s.experimentId().toString())
                        .gauge()
                        .value());
    }

    private double gauge(String name, Script s, String strategy) {
        return registry.get(name)
                .tag("experiment", s.experimentId().toString())
                .tag("strategy", strategy)
                .gauge()
                .value();
    }

    /** As the ingestor does it: each message a batch of its own. */
    private void apply(TrainingEvent event) {
        metrics.recorded(
                event.type(),
                store.apply(event),
                event.job().experimentId(),
                event.job().strategy());
        metrics.followNewest();
    }

    private void apply(TrainingJob job) {
        metrics.recorded(
                job.type(), store.apply(job), job.experimentId(), job.strategy().name());
        metrics.followNewest();
    }
}
