package dev.tlab.results.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule of every fact a job's attempts report: the highest attempt that reported wins, also when it repeated the
 * known value, so that a late report of an older attempt never overrides it. Proven for each fact of {@link JobRun}
 * through the calls the store makes for its events, and for {@link Latest} itself.
 */
class HighestAttemptRuleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final RunEnvironment ENV_A =
            new RunEnvironment("PyTorch", "0.36.0", "2.7.1", "cu128", "1", "a", null);
    private static final RunEnvironment ENV_B = new RunEnvironment("PyTorch", "0.36.0", "2.7.1", "cpu", "1", "b", null);

    /** How an attempt reports value A or B of one fact, and how the fact is read back. */
    private record Fact(String name, Reporter report, Function<JobRun, Object> read) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface Reporter {
        void report(JobRun job, int attempt, boolean a);
    }

    static Stream<Arguments> facts() {
        AtomicInteger epochs = new AtomicInteger(); // a new epoch number each time, so that only the device is at stake
        return Stream.of(
                        new Fact(
                                "planned epochs",
                                (job, attempt, a) -> job.queued(attempt, a ? 10 : 20),
                                JobRun::epochsPlanned),
                        new Fact(
                                "parameters",
                                (job, attempt, a) -> job.started(attempt, "cpu()", 1, 10, a ? 14_666L : 5_130L, 11L),
                                JobRun::trainableParameters),
                        new Fact(
                                "device",
                                (job, attempt, a) -> job.started(attempt, a ? "gpu(0)" : "cpu()", 1, 10, 1L, 2L),
                                JobRun::device),
                        new Fact(
                                "device of an epoch",
                                (job, attempt, a) -> job.epoch(
                                        new EpochPoint(
                                                epochs.incrementAndGet(),
                                                attempt,
                                                1,
                                                0.5,
                                                1,
                                                1,
                                                0,
                                                a ? "gpu(0)" : "cpu()",
                                                T0,
                                                null,
                                                null),
                                        10),
                                JobRun::device),
                        new Fact(
                                "precision",
                                (job, attempt, a) -> job.trainedIn(attempt, a ? Precision.BF16 : Precision.FP32),
                                JobRun::precision),
                        new Fact(
                                "result",
                                (job, attempt, a) -> job.completed(
                                        attempt, new JobRun.Completion(a ? 0.8 : 0.6, 1L, 2L, 3.0, "cpu()", 10)),
                                JobRun::testAccuracy),
                        new Fact(
                                "selected epoch",
                                (job, attempt, a) -> job.completed(
                                        attempt,
                                        new JobRun.Completion(
                                                0.8,
                                                1L,
                                                2L,
                                                3.0,
                                                "cpu()",
                                                10,
                                                null,
                                                null,
                                                new SelectedEpoch(
                                                        a ? 3 : 7,
                                                        10,
                                                        EpochSelection.VAL_ACCURACY,
                                                        0.8,
                                                        false,
                                                        "the best validation epoch"))),
                                JobRun::selection),
                        new Fact(
                                "record of what ran it",
                                (job, attempt, a) -> {
                                    // as for a JobStarted: the attempt starts, and says what runs it
                                    job.started(attempt, "cpu()", 1, 10, 1L, 2L);
                                    job.ranWith(attempt, new JobRun.RunRecord(T0, null, a ? ENV_A : ENV_B, null));
                                },
                                job -> job.currentRecord() == null
                                        ? null
                                        : job.currentRecord().environment()))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void aLateReportOfAnOlderAttemptNeverOverridesANewerAttemptThatRepeatedTheValue(Fact fact) {
        JobRun job = new JobRun(UUID.randomUUID(), "freeze", 0);
        fact.report().report(job, 1, true);
        Object a = fact.read().apply(job);
        fact.report().report(job, 2, true); // the newer attempt says the same: it takes the fact over
        fact.report().report(job, 1, false); // late: an older attempt's report, arriving after it
        assertEquals(a, fact.read().apply(job), fact + " of attempt 2 must stand");

        fact.report().report(job, 2, false); // the newer attempt itself may say otherwise
        Object b = fact.read().apply(job);
        assertFalse(a.equals(b), fact + ": A and B must read differently for this test to mean something");
        fact.report().report(job, 3, false);
        fact.report().report(job, 2, true);
        assertEquals(b, fact.read().apply(job), fact + " of attempt 3 must stand");
    }

    @Test
    void latestTakesTheAttemptOfARepeatAndSaysWhetherTheValueChanged() {
        Latest<String> latest = Latest.lastReportWins();
        assertNull(latest.value());
        assertEquals(0, latest.attempt());
        assertTrue(latest.report(1, "cpu()"));
        assertFalse(latest.report(2, "cpu()"), "a repeat changes no value...");
        assertEquals(2, latest.attempt(), "...but takes its attempt number");
        assertFalse(latest.report(1, "gpu(0)"), "an older attempt is too late");
        assertFalse(latest.report(3, null), "a null report says nothing");
        assertEquals(2, latest.attempt());
        assertTrue(latest.report(2, "gpu(0)"), "within an attempt the last report wins");
        assertEquals("gpu(0)", latest.value());
    }

    @Test
    void aRecordIsMergedWithinItsAttemptAndReplacedByANewerOne() {
        JobRun job = new JobRun(UUID.randomUUID(), "full", 0);
        ModelArtifact kept = new ModelArtifact("x/y.pt", "a".repeat(64), 10L);
        job.queued(1, 3);
        assertTrue(job.ranWith(1, new JobRun.RunRecord(T0.plusSeconds(5), null, ENV_A, null)));
        assertTrue(job.ranWith(1, new JobRun.RunRecord(T0, T0.plusSeconds(60), null, kept)));
        assertEquals(new JobRun.RunRecord(T0, T0.plusSeconds(60), ENV_A, kept), job.currentRecord());
        assertFalse(
                job.ranWith(1, new JobRun.RunRecord(T0.plusSeconds(9), null, null, null)), "the earliest start counts");

        job.queued(2, 3);
        assertNull(job.currentRecord(), "attempt 2 has not said what runs it");
        assertTrue(job.ranWith(2, new JobRun.RunRecord(T0.plusSeconds(120), null, ENV_B, null)));
        assertEquals(new JobRun.RunRecord(T0.plusSeconds(120), null, ENV_B, null), job.currentRecord());
    }
}
