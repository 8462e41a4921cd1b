package dev.tlab.results.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.testdata.Script;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultsStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final Script script = new Script(UUID.fromString("00000000-0000-4000-8000-00000000000a"), T0);
    private final ResultsStore store = new ResultsStore();

    private List<TrainingEvent> strategyRun(String strategy, long seed, int epochs, double testAccuracy) {
        List<TrainingEvent> events = new ArrayList<>();
        events.add(script.started(strategy, seed, 1, 1, epochs, "cifar-10", false));
        for (int e = 1; e <= epochs; e++) {
            events.add(script.epoch(strategy, seed, 1, e, epochs, 2.0 / e, Math.min(1, 0.3 + 0.06 * e)));
        }
        events.add(script.completed(strategy, seed, 1, testAccuracy, epochs));
        return events;
    }

    /** The dataset service's jobs: they announce the experiment (its training events alone would be kept apart). */
    private void jobs(ResultsStore target, String strategy, long... seeds) {
        for (long seed : seeds) {
            target.apply(script.job(strategy, seed));
        }
    }

    /** Jobs planned for {@code epochs}, as their trainer's JobStarted will say. */
    private void jobs(ResultsStore target, int epochs, String strategy, long... seeds) {
        for (long seed : seeds) {
            target.apply(script.job(strategy, seed, 1, "m-1", "cifar-10", false, epochs));
        }
    }

    private void applyAll(ResultsStore target, List<TrainingEvent> events) {
        for (TrainingEvent event : events) {
            target.apply(event);
        }
    }

    private Views.Experiment view() {
        return store.find(script.experimentId()).orElseThrow();
    }

    @Test
    void notebookTableRankedWithBest() {
        jobs(store, "freeze", 0);
        jobs(store, "partial", 0);
        jobs(store, "full", 0);
        applyAll(store, strategyRun("freeze", 0, 10, 0.7712));
        applyAll(store, strategyRun("partial", 0, 10, 0.8431));
        applyAll(store, strategyRun("full", 0, 10, 0.8120));

        Views.Experiment e = view();
        assertEquals("completed", e.state());
        assertEquals(List.of("partial", "full", "freeze"), e.ranking());
        assertEquals("partial", e.best().strategy());
        assertEquals(84.31, e.best().testAccuracyPercent(), 1e-9);
        List<Views.LeaderboardRow> rows = e.leaderboard().rows();
        assertEquals(3, rows.size());
        assertEquals(1, rows.get(0).rank());
        assertEquals("partial", rows.get(0).strategy());
        assertEquals(Script.PARTIAL_TRAINABLE, rows.get(0).trainableParameters());
        assertEquals(Script.FULL_PARAMS, rows.get(1).trainableParameters());
        assertEquals(Script.FREEZE_TRAINABLE, rows.get(2).trainableParameters());
        assertEquals(Script.FULL_PARAMS, rows.get(2).totalParameters());
        // strategies in the notebook's order, each with its 10 epochs
        assertEquals(
                List.of("freeze", "partial", "full"),
                e.strategies().stream().map(Views.Strategy::strategy).toList());
        Views.Strategy freeze = e.strategies().get(0);
        assertEquals(3, freeze.rank());
        assertEquals(10, freeze.epochs().size());
        assertEquals(321.5, freeze.wallSeconds());
        assertEquals("cpu()", freeze.device());
        assertEquals(1.0, freeze.progress());
        assertEquals("cifar-10", e.dataset());
    }

    /**
     * A strategy's precision is the requested one, shown before any job started; where no job told the request (an
     * experiment known from its cancellation and training events), the one its trainers reported.
     */
    @Test
    void precisionComesFromTheRequestElseFromWhatTheTrainersReported() {
        Script requested = new Script(UUID.randomUUID(), T0).inPrecision(Precision.BF16);
        store.apply(requested.job("freeze", 0));
        Views.Experiment queued = store.find(requested.experimentId()).orElseThrow();
        assertEquals(Precision.BF16, queued.strategies().get(0).precision());
        assertEquals(Precision.BF16, queued.leaderboard().rows().get(0).precision());
        assertNull(queued.strategies().get(0).runs().get(0).precision(), "no trainer has said yet");

        Script reported = new Script(UUID.randomUUID(), T0).inPrecision(Precision.BF16);
        store.apply(reported.cancelled("stopped"));
        store.apply(reported.started("partial", 0, 1, new RunEnvironment(null, null, null, null, null, "t", null)));
        Views.Experiment known = store.find(reported.experimentId()).orElseThrow();
        assertNull(known.request());
        assertEquals(Precision.BF16, known.strategies().get(0).runs().get(0).precision());
        assertEquals(Precision.BF16, known.strategies().get(0).precision());
        assertEquals(Precision.BF16, known.leaderboard().rows().get(0).precision());
        // an older trainer's JobStarted of a later attempt says nothing: what was reported stays
        store.apply(reported.started("partial", 0, 2, 1, 3, "cifar-10", false));
        assertEquals(
                Precision.BF16,
                store.find(reported.experimentId())
                        .orElseThrow()
                        .strategies()
                        .get(0)
                        .precision());
        // the highest attempt that said wins, also when it said what was already known: a late report of an older
        // attempt does not override it
        RunEnvironment environment = new RunEnvironment(null, null, null, null, null, "t", null);
        store.apply(reported.started("partial", 0, 3, environment));
        store.apply(reported.inPrecision(Precision.FP32).started("partial", 0, 2, environment));
        assertEquals(
                Precision.BF16,
                store.find(reported.experimentId())
                        .orElseThrow()
                        .strategies()
                        .get(0)
                        .runs()
                        .get(0)
                        .precision());
    }

    @Test
    void duplicatedEventChangesNothing() {
        jobs(store, "partial", 0);
        List<TrainingEvent> events = strategyRun("partial", 0, 3, 0.8);
        applyAll(store, events);
        Views.Experiment before = view();
        for (TrainingEvent event : events) {
            assertEquals(Outcome.DUPLICATE, store.apply(event));
        }
        assertEquals(before, view());
    }

    @Test
    void outOfOrderEpochsArePlacedByNumber() {
        jobs(store, "full", 0);
        store.apply(script.started("full", 0, 1, 1, 3, "cifar-10", false));
        EpochCompleted e1 = script.epoch("full", 0, 1, 1, 3, 1.5, 0.4);
        EpochCompleted e2 = script.epoch("full", 0, 1, 2, 3, 1.0, 0.6);
        EpochCompleted e3 = script.epoch("full", 0, 1, 3, 3, 0.5, 0.8);
        store.apply(e3);
        store.apply(e1);
        store.apply(e2);
        List<Views.Epoch> epochs = view().strategies().get(0).epochs();
        assertEquals(List.of(1, 2, 3), epochs.stream().map(Views.Epoch::epoch).toList());
        assertEquals(
                List.of(1.5, 1.0, 0.5), epochs.stream().map(Views.Epoch::loss).toList());
        assertEquals("running", view().strategies().get(0).state());
    }

    @Test
    void resumedJobDoesNotCountEpochsTwice() {
        jobs(store, "partial", 0);
        store.apply(script.started("partial", 0, 1, 1, 6, "cifar-10", false));
        for (int e = 1; e <= 4; e++) {
            store.apply(script.epoch("partial", 0, 1, e, 6, 1.0, 0.5));
        }
        EpochCompleted lateOldEpoch5 = script.epoch("partial", 0, 1, 5, 6, 9.9, 0.1);
        // the trainer died during epoch 4's checkpoint; attempt 2 resumes at epoch 4
        store.apply(script.started("partial", 0, 2, 4, 6, "cifar-10", false));
        for (int e = 4; e <= 6; e++) {
            store.apply(script.epoch("partial", 0, 2, e, 6, 0.5, 0.9));
        }
        assertEquals(Outcome.STALE, store.apply(lateOldEpoch5));
        assertEquals(Outcome.STALE, store.apply(script.epoch("partial", 0, 1, 6, 6, 9.9, 0.1)));
        store.apply(script.completed("partial", 0, 2, 0.84, 6));

        Views.Run run = view().strategies().get(0).runs().get(0);
        assertEquals(6, run.epochs().size());
        assertEquals(
                List.of(1, 1, 1, 2, 2, 2),
                run.epochs().stream().map(Views.Epoch::attempt).toList());
        assertEquals(2, run.attempt());
        assertEquals(4, run.startEpoch());
        assertEquals("completed", run.state());
    }

    @Test
    void resumeDropsEarlierAttemptsEpochsFromItsStart() {
        jobs(store, "full", 0);
        store.apply(script.started("full", 0, 1, 1, 5, "cifar-10", false));
        for (int e = 1; e <= 4; e++) {
            store.apply(script.epoch("full", 0, 1, e, 5, 1.0, 0.5));
        }
        store.apply(script.started("full", 0, 2, 3, 5, "cifar-10", false));
        Views.Run run = view().strategies().get(0).runs().get(0);
        assertEquals(
                List.of(1, 2), run.epochs().stream().map(Views.Epoch::epoch).toList());
        assertEquals("running", run.state());
    }

    @Test
    void completedAfterFailedEarlierAttemptWinsAndStaleEventsDoNotOverwrite() {
        jobs(store, "full", 0);
        store.apply(script.started("full", 0, 1, 1, 2, "cifar-10", false));
        var failed1 = script.failed("full", 0, 1, "CUDA out of memory");
        store.apply(failed1);
        assertEquals("failed", view().strategies().get(0).state());
        assertEquals(
                "CUDA out of memory", view().strategies().get(0).runs().get(0).failureReason());
        assertEquals("failed", view().state());
        assertNull(view().best());

        var started2 = script.started("full", 0, 2, 1, 2, "cifar-10", false);
        var completed2 = script.completed("full", 0, 2, 0.81, 2);
        store.apply(completed2);
        store.apply(started2);
        assertEquals("completed", view().strategies().get(0).state(), "a late JobStarted does not undo JobCompleted");
        assertEquals(Outcome.STALE, store.apply(script.failed("full", 0, 1, "late failure of attempt 1")));
        store.apply(script.started("full", 0, 1, 1, 2, "cifar-10", false));

        Views.Experiment e = view();
        assertEquals("completed", e.strategies().get(0).state());
        assertEquals("completed", e.state());
        assertEquals("full", e.best().strategy());
        assertNull(e.strategies().get(0).runs().get(0).failureReason());
    }

    @Test
    void failedStrategyIsListedButNotRanked() {
        jobs(store, "partial", 0);
        jobs(store, "full", 0);
        applyAll(store, strategyRun("partial", 0, 2, 0.8));
        store.apply(script.started("full", 0, 1, 1, 2, "cifar-10", false));
        store.apply(script.failed("full", 0, 1, "model not found"));
        Views.Experiment e = view();
        assertEquals("completed", e.state());
        assertEquals(List.of("partial"), e.ranking());
        Views.LeaderboardRow failedRow = e.leaderboard().rows().get(1);
        assertEquals("full", failedRow.strategy());
        assertNull(failedRow.rank());
        assertNull(failedRow.testAccuracy());
        assertEquals("failed", failedRow.state());
    }

    @Test
    void seedsGiveMeanStdAndTInterval() {
        jobs(store, "partial", 0, 1, 2);
        jobs(store, "freeze", 0);
        applyAll(store, strategyRun("partial", 0, 1, 0.80));
        applyAll(store, strategyRun("partial", 1, 1, 0.82));
        applyAll(store, strategyRun("partial", 2, 1, 0.84));
        applyAll(store, strategyRun("freeze", 0, 1, 0.70));
        Views.Strategy partial = view().strategies().stream()
                .filter(s -> s.strategy().equals("partial"))
                .findFirst()
                .orElseThrow();
        assertEquals(3, partial.seeds());
        assertEquals(3, partial.completedSeeds());
        assertEquals(0.82, partial.testAccuracy(), 1e-12);
        assertEquals(0.02, partial.testAccuracyStd(), 1e-12);
        double half = 4.302652729911275 * 0.02 / Math.sqrt(3);
        assertEquals(0.82 - half, partial.ci95Low(), 1e-9);
        assertEquals(0.82 + half, partial.ci95High(), 1e-9);
        Views.Strategy freeze = view().strategies().get(0);
        assertNull(freeze.testAccuracyStd(), "one seed: no spread");
        assertNull(freeze.ci95Low());
        assertEquals("partial", view().best().strategy());
    }

    @Test
    void anyOrderAndAnyDuplicationGiveTheSameLeaderboard() {
        List<TrainingEvent> events = new ArrayList<>();
        events.addAll(strategyRun("freeze", 0, 4, 0.70));
        events.addAll(strategyRun("partial", 0, 4, 0.84));
        events.addAll(strategyRun("partial", 1, 4, 0.83));
        events.addAll(strategyRun("full", 0, 4, 0.80));
        events.add(script.failed("freeze", 1, 1, "oom"));
        jobs(store, 4, "freeze", 0, 1);
        jobs(store, 4, "partial", 0, 1);
        jobs(store, 4, "full", 0);
        applyAll(store, events);
        Views.Experiment expected = view();
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<TrainingEvent> shuffled = new ArrayList<>(events);
            shuffled.addAll(events.subList(0, random.nextInt(events.size())));
            Collections.shuffle(shuffled, random);
            ResultsStore fresh = new ResultsStore();
            applyAll(fresh, shuffled); // the jobs come last: a rebuild may read training-events before training-jobs
            jobs(fresh, 4, "full", 0);
            jobs(fresh, 4, "partial", 1, 0);
            jobs(fresh, 4, "freeze", 1, 0);
            Views.Experiment actual = fresh.find(script.experimentId()).orElseThrow();
            assertEquals(expected.leaderboard(), actual.leaderboard());
            assertEquals(expected.strategies(), actual.strategies());
            assertEquals(expected.createdAt(), actual.createdAt());
        }
    }

    @Test
    void publishedJobIsQueuedAndManifestGivesDatasetAndSyntheticFlag() {
        store.apply(script.job("freeze", 0, 1, "m-1", "synthetic-cifar", false, 10));
        store.apply(script.job("full", 0, 1, "m-1", "synthetic-cifar", false, 10));
        Views.Experiment e = view();
        assertEquals("queued", e.state());
        assertEquals("queued", e.strategies().get(0).state());
        assertEquals("m-1", e.manifestId());
        assertEquals(false, e.synthetic());
        long version = e.version();

        assertEquals(Outcome.APPLIED, store.apply(Script.manifest("m-1", "synthetic", true)));
        e = view();
        assertTrue(e.synthetic());
        assertTrue(e.leaderboard().synthetic());
        assertEquals("synthetic", e.dataset());
        assertTrue(e.version() > version, "a manifest bumps the linked experiment's version (live page)");

        store.apply(script.started("freeze", 0, 1, 1, 10, "synthetic", true));
        assertEquals("running", view().state());
        assertEquals(10, view().strategies().get(0).runs().get(0).epochsPlanned());
        // a job published again (attempt 1) after it started does not move it back to queued
        assertEquals(Outcome.STALE, store.apply(script.job("freeze", 0, 1, "m-1", "synthetic", true, 10)));
        assertEquals("running", view().strategies().get(0).state());
    }

    /** size() and newest() are kept cheap (a counter, a heap): they still count each announced experiment once. */
    @Test
    void sizeAndNewestCountEachAnnouncedExperimentOnce() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Script s = new Script(UUID.randomUUID(), T0.plusSeconds(60L * i));
            ids.add(s.experimentId());
            store.apply(s.job("full", 0));
            store.apply(s.job("freeze", 0)); // a second job of the same experiment
            if (i == 1) {
                store.apply(s.cancelled("enough")); // announced twice over
            }
        }
        Script cancelledOnly = new Script(UUID.randomUUID(), T0.minusSeconds(60));
        store.apply(cancelledOnly.cancelled("never ran"));
        Script stray = new Script(UUID.randomUUID(), T0.plusSeconds(3600));
        store.apply(stray.started("full", 0, 1, 1, 1, "cifar-10", false)); // events only: not an experiment
        assertEquals(5, store.size());
        assertEquals(
                List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0), cancelledOnly.experimentId()),
                store.newest(10));
        assertEquals(List.of(ids.get(3), ids.get(2)), store.newest(2));
        assertEquals(List.of(), store.newest(0));
        store.apply(stray.job("full", 0)); // announced after its events
        assertEquals(6, store.size());
        assertEquals(stray.experimentId(), store.newest(1).get(0));
    }

    @Test
    void listIsNewestFirstAndPaged() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Script s = new Script(UUID.randomUUID(), T0.plusSeconds(60L * i));
            ids.add(s.experimentId());
            store.apply(s.job("full", 0));
            store.apply(s.started("full", 0, 1, 1, 1, "cifar-10", false));
        }
        Views.Page<Views.Summary> first = store.list(0, 2);
        assertEquals(5, first.total());
        assertEquals(
                List.of(ids.get(4), ids.get(3)),
                first.items().stream().map(Views.Summary::experimentId).toList());
        Views.Page<Views.Summary> last = store.list(2, 2);
        assertEquals(
                List.of(ids.get(0)),
                last.items().stream().map(Views.Summary::experimentId).toList());
        assertEquals(0, store.list(9, 2).items().size());
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), store.newest(3));
        assertEquals(5L, store.countByState().get(RunState.RUNNING));
        assertNotNull(first.items().get(0).createdAt());
    }

    /**
     * Events that name an experiment no job of the dataset service announced (a stray producer) are kept apart: not
     * listed, not counted, not found; once the experiment's job arrives (a rebuild may read events first) it is.
     */
    @Test
    void eventsOfAnUnknownExperimentAreKeptApartUntilItsJobArrives() {
        store.apply(script.started("full", 0, 1, 1, 3, "cifar-10", false));
        store.apply(script.epoch("full", 0, 1, 1, 3, 1.0, 0.5));
        assertTrue(store.find(script.experimentId()).isEmpty());
        assertTrue(store.isUnknown(script.experimentId()));
        assertEquals(0, store.list(0, 10).total());
        assertEquals(0L, store.countByState().get(RunState.RUNNING), "no phantom experiment stuck in running");
        Views.Page<Views.UnknownExperiment> unknown = store.unknown(0, 10);
        assertEquals(1, unknown.total());
        assertEquals(script.experimentId(), unknown.items().get(0).experimentId());
        assertEquals(2, unknown.items().get(0).events());
        assertEquals(List.of("full"), unknown.items().get(0).strategies());

        jobs(store, "full", 0);
        assertEquals("running", view().state());
        assertEquals(1, view().strategies().get(0).epochs().size(), "the events read before it count");
        assertEquals(0, store.unknownCount());
    }

    /**
     * createdAt is the request's time carried by the jobs, whatever order the messages come in, and GET
     * /experiments/{id} (a cached view) always agrees with the list.
     */
    @Test
    void createdAtIsTheRequestTimeAndTheCachedViewAgreesWithTheList() {
        Instant requested = T0.minusSeconds(30);
        store.apply(script.started("partial", 0, 1, 1, 3, "cifar-10", false)); // a training event earlier than...
        store.apply(script.job("partial", 0, 2, "m-1", "cifar-10", false, 3, null)); // ...an older writer's retry
        Instant before = view().createdAt();
        store.apply(script.job("partial", 0, 1, "m-1", "cifar-10", false, 3, requested)); // stale, but the request time
        assertEquals(requested, view().createdAt());
        assertEquals(view().createdAt(), store.list(0, 1).items().get(0).createdAt());
        assertTrue(requested.isBefore(before));

        ResultsStore other = new ResultsStore();
        other.apply(script.job("partial", 0, 1, "m-1", "cifar-10", false, 3, requested));
        other.apply(script.epoch("partial", 0, 1, 1, 3, 1.0, 0.5));
        assertEquals(
                requested, other.find(script.experimentId()).orElseThrow().createdAt(), "the same after a rebuild");
    }

    @Test
    void aRetriedJobShowsItsNextAttemptThenEveryAttemptsReason() {
        jobs(store, "full", 0);
        store.apply(script.failed(
                "full",
                0,
                1,
                "dataset service answered 503",
                2,
                List.of(new dev.tlab.contracts.FailedAttempt(1, "dataset service answered 503", T0))));
        Views.Run run = view().strategies().get(0).runs().get(0);
        assertEquals("retrying", run.state());
        assertEquals(2, run.nextAttempt());
        assertNotNull(run.retryAt());
        assertEquals("running", view().state(), "not finished: another attempt comes");
        assertEquals("retrying", view().strategies().get(0).state());

        store.apply(script.job("full", 0, 2, "m-1", "cifar-10", false, 3, T0));
        assertEquals("queued", view().strategies().get(0).runs().get(0).state());
        store.apply(script.failed(
                "full",
                0,
                2,
                "failed 2 times: ...",
                null,
                List.of(
                        new dev.tlab.contracts.FailedAttempt(1, "dataset service answered 503", T0),
                        new dev.tlab.contracts.FailedAttempt(2, "connection refused", T0.plusSeconds(10)))));
        run = view().strategies().get(0).runs().get(0);
        assertEquals("failed", run.state());
        assertEquals(2, run.attempt());
        assertNull(run.nextAttempt());
        assertEquals(
                List.of("dataset service answered 503", "connection refused"),
                run.failedAttempts().stream().map(Views.FailedAttempt::reason).toList());
        assertEquals("failed", view().state());
    }

    @Test
    void aCancelledExperimentShowsQueuedJobsCancelledAtOnceAndRunningOnesWhenTheyStop() {
        jobs(store, "freeze", 0);
        jobs(store, "full", 0);
        applyAll(store, strategyRun("partial", 0, 2, 0.8)); // finished before the cancellation: keeps its result
        jobs(store, "partial", 0);
        store.apply(script.started("full", 0, 1, 1, 3, "cifar-10", false));
        store.apply(script.cancelled("wrong dataset"));
        Views.Experiment e = view();
        assertEquals("running", e.state(), "its running job stops at the next batch");
        assertEquals("cancelled", strategy(e, "freeze").state(), "a queued job will never start");
        assertEquals("running", strategy(e, "full").state());
        assertEquals("wrong dataset", e.cancellation().reason());

        store.apply(script.cancelledJob("full", 0, 1, 1));
        e = view();
        assertEquals("cancelled", e.state());
        assertEquals("cancelled", strategy(e, "full").state());
        assertEquals("stopped by the user", strategy(e, "full").runs().get(0).cancelReason());
        assertEquals("completed", strategy(e, "partial").state());
        assertEquals("cancelled", e.leaderboard().state());
        assertEquals("wrong dataset", e.leaderboard().cancellation().reason());
        assertEquals(1L, store.countByState().get(RunState.CANCELLED));
    }

    @Test
    void aCancellationAloneAnnouncesTheExperiment() {
        store.apply(script.cancelled("before any job"));
        assertEquals("cancelled", view().state());
        assertEquals(1, store.list(0, 10).total());
    }

    private static Views.Strategy strategy(Views.Experiment e, String name) {
        return e.strategies().stream()
                .filter(s -> s.strategy().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The class map of a dataset of the user's own images reaches the leaderboard from its manifest (the golden sample
     * of contracts); CIFAR-10's leaderboard has none, and its JSON is unchanged.
     */
    @Test
    void theLeaderboardOfADatasetOfImagesNamesItsClassesFromTheManifest() throws IOException {
        DatasetManifest images = EventCodec.fromBytes(
                Files.readAllBytes(Path.of("../contracts/src/test/resources/golden/DatasetManifest-images.json")),
                DatasetManifest.class);
        store.apply(script.job("freeze", 0, 1, images.manifestId(), "images", false, 2));
        assertNull(view().leaderboard().classNames(), "not before the manifest is known");
        store.apply(images);
        assertEquals(List.of("cat", "dog", "zebra"), view().leaderboard().classNames());

        Script cifar = new Script(UUID.randomUUID(), T0);
        store.apply(cifar.job("freeze", 0, 1, "m-cifar", "cifar-10", false, 2));
        store.apply(Script.manifest("m-cifar", "cifar-10", false));
        Views.Leaderboard leaderboard =
                store.find(cifar.experimentId()).orElseThrow().leaderboard();
        assertNull(leaderboard.classNames());
        assertFalse(EventCodec.toJson(leaderboard).contains("classNames"));
    }

    /**
     * What the manifest of a dataset of the user's own images says about its data reaches the leaderboard: split and
     * subset counts, the rejects and leaks with their totals and reasons, its notes as sentences; a manifest sent again
     * under another event id changes nothing (stale), and CIFAR-10's leaderboard has no report.
     */
    @Test
    void theLeaderboardOfADatasetOfImagesReportsItsSplitsRejectsLeaksAndNotes() throws IOException {
        String json = Files.readString(Path.of("../contracts/src/test/resources/golden/DatasetManifest-images.json"));
        DatasetManifest images = EventCodec.fromBytes(json.getBytes(), DatasetManifest.class);
        store.apply(script.job("freeze", 0, 1, images.manifestId(), "images", false, 2));
        assertNull(view().leaderboard().datasetReport(), "not before the manifest is known");
        assertEquals(Outcome.APPLIED, store.apply(images));

        Views.DatasetReport report = view().leaderboard().datasetReport();
        assertNotNull(report);
        assertEquals(
                List.of("train", "val", "test"),
                report.splits().stream().map(s -> s.name()).toList());
        assertEquals(List.of(7, 8, 6), report.splits().get(0).perClass());
        assertEquals(6, report.splits().get(2).images());
        assertEquals(21, report.subset().images());
        assertEquals(1, report.rejectCount());
        assertEquals("truncated", report.rejects().get(0).reason());
        assertEquals("pets/dog/broken.jpg", report.rejects().get(0).path());
        assertEquals(1, report.leakCount());
        assertEquals("pets/cat/a-copy.jpg", report.leaks().get(0).secondPath());
        assertEquals(
                List.of("exif-rotated", "ignored:hidden"),
                report.notes().stream().map(n -> n.kind()).toList());
        assertTrue(
                report.notes().get(0).text().startsWith("2 images with an EXIF orientation"),
                report.notes().get(0).text());
        assertTrue(
                report.notes().get(1).text().contains("pets/.DS_Store"),
                report.notes().get(1).text());

        long version = view().version();
        DatasetManifest again = EventCodec.fromBytes(
                json.replace(
                                "00000000-0000-4000-8000-000000000111",
                                UUID.randomUUID().toString())
                        .getBytes(),
                DatasetManifest.class);
        assertEquals(Outcome.STALE, store.apply(again));
        assertEquals(version, view().version());
        assertEquals(report, view().leaderboard().datasetReport());

        Script cifar = new Script(UUID.randomUUID(), T0);
        store.apply(cifar.job("freeze", 0, 1, "m-cifar", "cifar-10", false, 2));
        store.apply(Script.manifest("m-cifar", "cifar-10", false));
        Views.Leaderboard leaderboard =
                store.find(cifar.experimentId()).orElseThrow().leaderboard();
        assertNull(leaderboard.datasetReport());
        assertFalse(EventCodec.toJson(leaderboard).contains("datasetReport"));
    }

    /**
     * A run with epoch selection as its trainer reports it: every epoch with its validation figures, then the result of
     * the epoch it chose. Seed 0 peaks at epoch 2 and stops after epoch 3 (patience 1); seed 1 trains all 4 epochs and
     * is tested on the last.
     */
    /** Jobs of 4 epochs on a dataset of images, as the dataset service publishes them for an epoch selection. */
    private void imageJobs(ResultsStore target, String strategy, long... seeds) {
        for (long seed : seeds) {
            target.apply(script.job(strategy, seed, 1, "m-1", "images", false, 4));
        }
    }

    private List<TrainingEvent> selectedRun(String strategy, long seed, double testAccuracy) {
        double[] valAccuracy = seed == 0 ? new double[] {0.70, 0.80, 0.75} : new double[] {0.60, 0.70, 0.75, 0.78};
        List<TrainingEvent> events = new ArrayList<>();
        events.add(script.started(strategy, seed, 1, 1, 4, "images", false));
        for (int e = 1; e <= valAccuracy.length; e++) {
            events.add(
                    script.epoch(strategy, seed, 1, e, 4, 2.0 / e, 0.5, 1.0 - valAccuracy[e - 1], valAccuracy[e - 1]));
        }
        SelectedEpoch selection = seed == 0
                ? new SelectedEpoch(
                        2, 3, EpochSelection.VAL_ACCURACY, 0.80, true, "highest validation accuracy (0.8000)")
                : new SelectedEpoch(
                        4, 4, EpochSelection.VAL_ACCURACY, 0.78, false, "highest validation accuracy (0.7800)");
        events.add(script.completed(strategy, seed, 1, testAccuracy, selection));
        return events;
    }

    @Test
    void eachEpochKeepsItsValidationFiguresAndEachSeedTheEpochItWasTestedOn() {
        imageJobs(store, "partial", 0, 1);
        imageJobs(store, "freeze", 0);
        applyAll(store, selectedRun("partial", 0, 0.83));
        applyAll(store, selectedRun("partial", 1, 0.81));
        store.apply(script.started("freeze", 0, 1, 1, 4, "images", false));
        store.apply(script.epoch("freeze", 0, 1, 1, 4, 2.0, 0.4));
        store.apply(script.completed("freeze", 0, 1, 0.70, 4));
        Views.Strategy partial = view().strategies().get(1);
        Views.Run seed0 = partial.runs().get(0);
        assertEquals(
                List.of(0.70, 0.80, 0.75),
                seed0.epochs().stream().map(Views.Epoch::valAccuracy).toList());
        assertEquals(0.30, seed0.epochs().get(0).valLoss(), 1e-12);
        assertEquals(2, seed0.selection().epoch());
        assertEquals(3, seed0.selection().epochsTrained());
        assertTrue(seed0.selection().stoppedEarly());
        assertEquals(4, partial.runs().get(1).selection().epoch());

        Views.LeaderboardRow row = view().leaderboard().rows().get(0);
        assertEquals("partial", row.strategy());
        assertEquals(
                List.of(0L, 1L),
                row.selectedEpochs().stream().map(Views.SeedSelection::seed).toList());
        assertEquals(seed0.selection(), row.selectedEpochs().get(0).selection());

        // a strategy without selection reads as before: no validation figures, no selection, none in its JSON
        Views.Strategy freeze = view().strategies().get(0);
        assertNull(freeze.runs().get(0).selection());
        assertNull(freeze.epochs().get(0).valAccuracy());
        assertNull(view().leaderboard().rows().get(1).selectedEpochs());
        String json = EventCodec.toJson(freeze);
        assertFalse(json.contains("valLoss") || json.contains("selection"), json);
        assertFalse(EventCodec.toJson(view().leaderboard().rows().get(1)).contains("selectedEpochs"));
    }

    /** The selection explains the test accuracy of the completed attempt that counts: none while a job runs again. */
    @Test
    void aSelectionIsShownOnlyWhileItsAttemptIsTheCompletedOne() {
        imageJobs(store, "partial", 0);
        applyAll(store, selectedRun("partial", 0, 0.83));
        assertEquals(2, view().strategies().get(0).runs().get(0).selection().epoch());
        store.apply(script.started("partial", 0, 2, 1, 4, "images", false)); // published again: attempt 2 runs
        Views.Run running = view().strategies().get(0).runs().get(0);
        assertEquals("running", running.state());
        assertNull(running.selection());
        assertNull(view().leaderboard().rows().get(0).selectedEpochs());
    }

    /**
     * A restarted service rebuilds from the topics: the same events read back from their JSON, in any order and any
     * number of times (the jobs last), give the same validation figures and selections.
     */
    @Test
    void aRebuildFromTheTopicsJsonGivesTheSameSelections() {
        List<TrainingEvent> events = new ArrayList<>();
        events.addAll(selectedRun("partial", 0, 0.83));
        events.addAll(selectedRun("partial", 1, 0.81));
        events.addAll(selectedRun("full", 0, 0.85));
        imageJobs(store, "partial", 0, 1);
        imageJobs(store, "full", 0);
        applyAll(store, events);
        Views.Experiment expected = view();
        Random random = new Random(28);
        for (int round = 0; round < 20; round++) {
            List<TrainingEvent> shuffled = new ArrayList<>(events);
            shuffled.addAll(events.subList(0, random.nextInt(events.size())));
            Collections.shuffle(shuffled, random);
            ResultsStore fresh = new ResultsStore();
            for (TrainingEvent event : shuffled) {
                fresh.apply(EventCodec.fromJson(EventCodec.toJson(event), TrainingEvent.class));
            }
            imageJobs(fresh, "full", 0);
            imageJobs(fresh, "partial", 1, 0);
            Views.Experiment actual = fresh.find(script.experimentId()).orElseThrow();
            assertEquals(expected.strategies(), actual.strategies());
            assertEquals(expected.leaderboard(), actual.leaderboard());
        }
    }
}
