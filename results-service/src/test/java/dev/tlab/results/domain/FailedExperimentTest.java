package dev.tlab.results.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.testdata.Script;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The aggregate's rules for an experiment the dataset service failed, without Quarkus or a broker. */
class FailedExperimentTest {
    private final ResultsStore store = new ResultsStore();

    @Test
    void aFailureAloneAnnouncesTheExperimentFailedAndIsAppliedOnce() {
        UUID id = UUID.randomUUID();
        Instant requested = Instant.parse("2026-12-01T10:00:00Z");
        ExperimentFailed failed = ExperimentFailed.of(id, requested, "dataset", "damaged");

        assertEquals(Outcome.APPLIED, store.apply(failed));
        assertEquals(Outcome.DUPLICATE, store.apply(failed));
        assertEquals(Outcome.STALE, store.apply(ExperimentFailed.of(id, requested, "$", "a later report")));
        Views.Experiment view = store.find(id).orElseThrow();
        assertEquals("failed", view.state());
        assertEquals(new Views.Failure(failed.occurredAt(), "dataset", "damaged"), view.failure());
        assertEquals(requested, view.createdAt());
        assertEquals(1, store.size());
        assertEquals(1L, store.countByState().get(RunState.FAILED));
    }

    @Test
    void theExperimentStaysFailedWhileAJobPublishedBeforeRunsToItsEnd() {
        Script s = new Script(UUID.randomUUID(), Instant.now());
        store.apply(s.job("full", 0));
        store.apply(ExperimentFailed.of(s.experimentId(), Instant.now(), "$", "the fan-out broke off"));
        store.apply(s.started("full", 0, 1, 1, 3, "synthetic", true));
        Views.Experiment view = store.find(s.experimentId()).orElseThrow();
        assertEquals("failed", view.state());
        assertEquals("running", view.strategies().get(0).state());
    }
}
