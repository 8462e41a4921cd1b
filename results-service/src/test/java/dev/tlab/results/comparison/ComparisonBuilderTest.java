package dev.tlab.results.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.Predictions;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Evaluations;
import dev.tlab.results.testdata.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison as the results service computes it from the events of a run and the predictions files in its model
 * store: each figure is checked against the statistics of this package applied by hand to the same inputs (the
 * statistics themselves are checked against scikit-learn, statsmodels and scipy in their own tests).
 */
class ComparisonBuilderTest {
    private static final List<String> CLASSES = List.of("cat", "dog", "frog");
    private static final int IMAGES = 300;

    @TempDir
    Path store;

    private final Script script = new Script(UUID.randomUUID(), Instant.parse("2026-05-01T00:00:00Z"));
    private final ResultsStore results = new ResultsStore();
    private final Map<String, Predictions> written = new HashMap<>();

    /** full: 90% right, a few seed-dependent misses more; partial: 80%, cat's images wrong more often. */
    private static IntPredicate wrong(String strategy, long seed) {
        return strategy.equals("full")
                ? i -> i % 10 == 0 || i % 37 == seed
                : i -> i % 5 == 0 || (i % 3 == 0 && i % 11 == seed);
    }

    private void complete(String strategy, long seed, boolean withFile) {
        int[][] p = Evaluations.predictions(IMAGES, CLASSES.size(), wrong(strategy, seed));
        Evaluation evaluation = Evaluations.of(
                CLASSES, p[0], p[1], 0.85, withFile ? store : null, script.experimentId(), strategy, seed);
        written.put(strategy + seed, Predictions.of(CLASSES.size(), Evaluations.TEST_DIGEST, p[0], p[1]));
        results.apply(script.job(strategy, seed, 1, "m-1", "synthetic", true, 3));
        results.apply(script.completed(
                strategy, seed, 1, evaluation, Evaluations.cost(strategy.equals("full") ? 90 : 30, 600, 2, IMAGES)));
    }

    private ExperimentComparison compare(Optional<Path> modelStore) {
        return ComparisonBuilder.build(
                results.snapshot(script.experimentId()).orElseThrow(), new PredictionsFiles(modelStore));
    }

    @Test
    void aRunsValidationPassesCountAsEvaluationDeviceTime() {
        results.apply(Script.manifest("m-1", "synthetic", true));
        for (String strategy : List.of("partial", "full")) {
            int[][] p = Evaluations.predictions(IMAGES, CLASSES.size(), wrong(strategy, 0));
            Evaluation evaluation = Evaluations.of(CLASSES, p[0], p[1], 0.85, null, script.experimentId(), strategy, 0);
            results.apply(script.job(strategy, 0, 1, "m-1", "synthetic", true, 3));
            JobCost validated = new JobCost(30.0, 600L, 2.0, (long) IMAGES, null, null, 6.0, 300L);
            results.apply(script.completed(
                    strategy,
                    0,
                    1,
                    evaluation,
                    strategy.equals("full") ? validated : Evaluations.cost(30, 600, 2, IMAGES)));
        }
        Views.Cost cost = compare(Optional.empty()).comparison().cost();
        Views.StrategyCost full = cost.strategies().stream()
                .filter(c -> c.strategy().equals("full"))
                .findFirst()
                .orElseThrow();
        assertEquals(30.0 + 2.0 + 6.0, full.meanDeviceSeconds(), 1e-12);
        assertEquals((IMAGES + 300) / 8.0, full.evalImagesPerSecond(), 1e-12);
        assertEquals("partial", cost.cheapest(), "the same training, without the validation passes");
    }

    @Test
    void twoStrategiesOverThreeSeedsArePairedAndPooled() {
        results.apply(Script.manifest("m-1", "synthetic", true));
        for (long seed = 0; seed < 3; seed++) {
            complete("partial", seed, true);
            complete("full", seed, true);
        }
        ExperimentComparison comparison = compare(Optional.of(store));
        Views.Comparison c = comparison.comparison();
        assertEquals(CLASSES, c.classes());
        assertEquals(List.of("partial", "full"), comparison.strategyOrder(), "the notebook's order");

        // the verdict: full leads, the paired t-test over the three seeds decides, McNemar per seed is reported
        List<Double> full = new ArrayList<>();
        List<Double> partial = new ArrayList<>();
        for (long seed = 0; seed < 3; seed++) {
            full.add((double) written.get("full" + seed).correctCount() / IMAGES);
            partial.add((double) written.get("partial" + seed).correctCount() / IMAGES);
        }
        PairedTTest t = PairedTTest.of(full, partial);
        Views.Verdict verdict = c.verdict();
        assertEquals("full", verdict.leader());
        assertEquals("partial", verdict.runnerUp());
        assertEquals("paired t-test over seeds 0, 1, 2", verdict.test());
        assertEquals(t.pValue(), verdict.pValue(), 1e-15);
        assertEquals(t.pValue() < 0.05 ? "best" : "indistinguishable", verdict.outcome());
        assertEquals(3, verdict.mcnemar().size(), "every seed's files were read: " + c.notes());
        for (Views.SeedTest m : verdict.mcnemar()) {
            McNemar.Result expected =
                    McNemar.compare(written.get("full" + m.seed()), written.get("partial" + m.seed()));
            assertEquals(expected.firstOnlyCorrect(), m.firstOnlyCorrect());
            assertEquals(expected.secondOnlyCorrect(), m.secondOnlyCorrect());
            assertEquals(expected.pValue(), m.pValue(), 1e-15);
        }
        assertEquals(verdict, comparison.experiment().leaderboard().verdict(), "the leaderboard says the same");
        assertEquals(1, c.pairs().size());
        assertEquals("partial", c.pairs().get(0).first());
        assertEquals(-t.meanDifference(), c.pairs().get(0).meanDifference(), 1e-15);

        // each strategy's matrices pooled over its seeds, and the per-class report of the pool
        ConfusionMatrix pooled = ConfusionMatrix.of(CLASSES, written.get("full0"))
                .plus(ConfusionMatrix.of(CLASSES, written.get("full1")))
                .plus(ConfusionMatrix.of(CLASSES, written.get("full2")));
        assertEquals(pooled, comparison.matrices().get("full"));
        Views.StrategyEvaluation fullView = c.strategies().get(1);
        assertEquals(3, fullView.evaluatedRuns());
        PerClassReport report = PerClassReport.of(pooled);
        assertEquals(report.macroF1(), fullView.macroF1(), 1e-15);
        assertEquals(
                report.classes().get(0).recall(), fullView.perClass().get(0).recall(), 1e-15);
        assertEquals(
                3 * IMAGES,
                fullView.confusionMatrix().stream()
                        .flatMap(List::stream)
                        .mapToLong(Long::longValue)
                        .sum());
        // every prediction at confidence 0.85: the calibration error is |accuracy - 0.85| of the pool
        double accuracy = (double) pooled.correct() / pooled.total();
        assertEquals(Math.abs(accuracy - 0.85), fullView.calibration().expectedCalibrationError(), 1e-12);
        assertEquals(3 * IMAGES, fullView.calibration().predictions());
        assertEquals(PredictionsFiles.CHECKED, fullView.runs().get(0).predictions());

        // cat is missed more often under partial: the largest difference
        assertEquals("cat", c.classDifferences().get(0).className());
        assertEquals("full", c.classDifferences().get(0).highestStrategy());

        // the cost: partial is the cheaper, full buys its points at a price per device-hour
        Views.Cost cost = c.cost();
        assertEquals("partial", cost.cheapest());
        Views.StrategyCost fullCost = cost.strategies().stream()
                .filter(s -> s.strategy().equals("full"))
                .findFirst()
                .orElseThrow();
        assertEquals(92.0, fullCost.meanDeviceSeconds(), 1e-12);
        assertEquals(600 * 3 / 270.0, fullCost.trainImagesPerSecond(), 1e-12);
        double partialMean =
                partial.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double fullMean =
                full.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(100 * (fullMean - partialMean) / (60 / 3600.0), fullCost.pointsPerDeviceHour(), 1e-9);
        assertEquals("process-rss", fullCost.peakMemory());
        assertEquals(List.of(32), cost.imageSizes());
        assertTrue(c.notes().isEmpty(), c.notes().toString());
    }

    /** One seed: McNemar's test of the two files decides; a file changed after it was written is not used. */
    @Test
    void oneSeedIsDecidedByTheFilesAndADamagedFileIsNotUsed() throws Exception {
        complete("partial", 0, true);
        complete("full", 0, true);
        Views.Verdict verdict = compare(Optional.of(store)).comparison().verdict();
        assertEquals("McNemar's exact test on seed 0", verdict.test());
        McNemar.Result expected = McNemar.compare(written.get("full0"), written.get("partial0"));
        assertEquals(expected.pValue(), verdict.pValue(), 1e-15);

        Path file = store.resolve(script.experimentId().toString())
                .resolve(TrainingJob.jobIdFor(script.experimentId(), "full", 0) + ".predictions");
        byte[] bytes = Files.readAllBytes(file);
        bytes[60] ^= 1;
        Files.write(file, bytes);
        results.apply(script.started("full", 0, 1, 1, 3, "synthetic", true)); // a new version: computed again
        ExperimentComparison again = compare(Optional.of(store));
        assertEquals(
                "untested",
                again.comparison().verdict().outcome(),
                again.comparison().verdict().text());
        String status = again.comparison().strategies().get(1).runs().get(0).predictions();
        assertTrue(status.startsWith("damaged: ") && status.contains("sha256"), status);
        assertTrue(again.comparison().notes().get(0).contains("full seed 0: its predictions file is damaged"));
        assertNotNull(again.matrices().get("full"), "the message's matrix is still shown");
    }

    /** Only files inside the model store are read: not without one, not through a link that leads outside it. */
    @Test
    void predictionsComeFromTheModelStoreOnly() throws Exception {
        complete("partial", 0, true);
        complete("full", 0, true);
        Views.StrategyEvaluation withoutStore =
                compare(Optional.empty()).comparison().strategies().get(0);
        assertTrue(withoutStore.runs().get(0).predictions().contains("no model store"));

        Path other = Files.createDirectories(store.resolveSibling(store.getFileName() + "-outside"));
        Path job = store.resolve(script.experimentId().toString())
                .resolve(TrainingJob.jobIdFor(script.experimentId(), "partial", 0) + ".predictions");
        Path outside = Files.move(job, other.resolve("stolen.predictions"));
        Files.createSymbolicLink(job, outside);
        Views.StrategyEvaluation linked =
                compare(Optional.of(store)).comparison().strategies().get(0);
        assertTrue(
                linked.runs().get(0).predictions().startsWith("refused: "),
                linked.runs().toString());
        assertTrue(linked.runs().get(0).predictions().contains("outside the model store"));
    }

    /** Predictions of another test set than the manifest's are never paired. */
    @Test
    void predictionsOfAnotherTestSetAreRefused() {
        results.apply(Script.manifest("m-1", "synthetic", true));
        complete("partial", 0, true);
        // the manifest now names another test set
        results.apply(new dev.tlab.contracts.DatasetManifest(
                UUID.randomUUID(),
                dev.tlab.contracts.DatasetManifest.TYPE,
                1,
                Instant.parse("2026-01-02T00:00:00Z"),
                "m-1",
                "synthetic",
                true,
                "a".repeat(64),
                List.of("airplane", "automobile"),
                List.of(2, 2),
                dev.tlab.contracts.SubsetPolicy.notebook(),
                List.of(0, 1, 2, 3),
                "b".repeat(64),
                10,
                "d".repeat(64),
                "http://localhost:8081/train",
                "http://localhost:8081/test"));
        String status = compare(Optional.of(store))
                .comparison()
                .strategies()
                .get(0)
                .runs()
                .get(0)
                .predictions();
        assertTrue(status.startsWith("refused: made on test set " + Evaluations.TEST_DIGEST), status);
    }

    /** Above 256 classes the message has no matrix: it is counted from the predictions file. */
    @Test
    void theMatrixOfManyClassesComesFromThePredictionsFile() {
        List<String> classes = IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
        int[][] p = Evaluations.predictions(600, 300, i -> i % 4 == 0);
        Evaluation evaluation = Evaluations.of(classes, p[0], p[1], 0.5, store, script.experimentId(), "full", 0);
        assertNull(evaluation.confusionMatrix());
        results.apply(script.job("full", 0, 1, "m-1", "synthetic", true, 3));
        results.apply(script.completed("full", 0, 1, evaluation, null));
        ExperimentComparison comparison = compare(Optional.of(store));
        ConfusionMatrix matrix = comparison.matrices().get("full");
        assertEquals(ConfusionMatrix.of(classes, Predictions.of(300, Evaluations.TEST_DIGEST, p[0], p[1])), matrix);
        assertNull(comparison.comparison().cost(), "no run reported a cost");
        assertEquals("single-strategy", comparison.comparison().verdict().outcome());
    }

    /** Runs of trainers older than the comparison: the verdict still comes from the accuracies, the rest is noted. */
    @Test
    void runsWithoutAnEvaluationAreNamed() {
        for (long seed = 0; seed < 2; seed++) {
            for (String strategy : List.of("freeze", "partial")) {
                results.apply(script.job(strategy, seed, 1, "m-1", "synthetic", true, 3));
                results.apply(
                        script.completed(strategy, seed, 1, strategy.equals("partial") ? 0.8 + seed / 100.0 : 0.6, 3));
            }
        }
        Views.Comparison c = compare(Optional.of(store)).comparison();
        assertEquals("paired t-test over seeds 0, 1", c.verdict().test());
        assertNull(c.classes());
        assertTrue(c.strategies().get(0).perClass().isEmpty());
        assertEquals(
                List.of(
                        "freeze: no completed run reported an evaluation (a trainer older than the comparison)",
                        "partial: no completed run reported an evaluation (a trainer older than the comparison)"),
                c.notes());
        assertEquals(0.8, c.strategies().get(1).runs().get(0).testAccuracy(), 1e-12);
        assertEquals(CalibrationBins.BINS, 15);
    }

    /** Strategies that score every class the same have no class that differs between them: none is listed. */
    @Test
    void classesOnWhichTheStrategiesAgreeAreNotListedAsDiffering() {
        results.apply(Script.manifest("m-1", "synthetic", true));
        complete("freeze", 0, false);
        complete("partial", 0, false);
        Views.Comparison c = compare(Optional.of(store)).comparison();
        assertEquals(
                2, c.strategies().stream().filter(s -> !s.perClass().isEmpty()).count());
        assertEquals(List.of(), c.classDifferences());
    }
}
