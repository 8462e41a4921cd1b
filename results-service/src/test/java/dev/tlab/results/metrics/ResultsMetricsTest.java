package dev.tlab.results.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.results.ResultsConfig;
import dev.tlab.results.domain.ResultsStore;
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
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResultsStore store = new ResultsStore();
    private ResultsMetrics metrics = new ResultsMetrics(registry, store, keeping(20));

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
        assertEquals(6, metrics.perExperimentGauges(), "partial and freeze, three gauges each");
    }

    /** A batch that announces several experiments: after it, exactly the newest ones carry gauges. */
    @Test
    void afterABatchTheNewestExperimentsCarryTheGauges() {
        metrics = new ResultsMetrics(registry, store, keeping(2));
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
        assertEquals(6, metrics.perExperimentGauges(), "two experiments, one strategy, three gauges each");
        for (int i = 0; i < 3; i++) {
            boolean kept = !registry.find(ResultsMetrics.TEST_ACCURACY)
                    .tag("experiment", ids.get(i).toString())
                    .gauges()
                    .isEmpty();
            assertEquals(i > 0, kept, "experiment " + i);
        }
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
