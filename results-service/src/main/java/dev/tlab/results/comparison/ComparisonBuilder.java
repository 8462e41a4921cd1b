package dev.tlab.results.comparison;

import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.Predictions;
import dev.tlab.results.domain.ResultsStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes an experiment's comparison from its snapshot (the view and what each completed run's trainer reported) and
 * the runs' predictions files, with the statistics of this package: per strategy its runs' matrices and calibration
 * bins pooled, the per-class report, the classes that differ most, the best-strategy rule, the paired tests of every
 * two strategies, and the cost. Plain Java; reads files only through {@link PredictionsFiles}.
 */
public final class ComparisonBuilder {
    /** How many classes the comparison lists as differing most between strategies. */
    public static final int CLASS_DIFFERENCES = 10;

    private ComparisonBuilder() {}

    /** A completed run and what is known of its evaluation. */
    private record RunData(
            String strategy,
            Views.Run run,
            Evaluation evaluation,
            ConfusionMatrix matrix,
            JobCost cost,
            Predictions predictions,
            String predictionsStatus) {}

    public static ExperimentComparison build(ResultsStore.Snapshot snapshot, PredictionsFiles files) {
        Views.Experiment experiment = snapshot.experiment();
        List<String> order =
                experiment.strategies().stream().map(Views.Strategy::strategy).toList();
        String testDigest =
                experiment.request() == null ? null : experiment.request().testDigest();
        int imageSize = experiment.request() == null || experiment.request().hyperParameters() == null
                ? 0
                : experiment.request().hyperParameters().imageSize();
        List<String> notes = new ArrayList<>();
        List<String> classes = null;
        Map<String, List<RunData>> byStrategy = new LinkedHashMap<>();
        for (Views.Strategy strategy : experiment.strategies()) {
            List<RunData> runs = new ArrayList<>();
            for (Views.Run run : strategy.runs()) {
                if (run.testAccuracy() == null) {
                    continue;
                }
                ResultsStore.RunFigures figures = snapshot.figures().get(run.jobId());
                Evaluation evaluation = figures == null ? null : figures.evaluation();
                JobCost cost = figures == null ? null : figures.cost();
                if (evaluation != null && classes == null) {
                    classes = evaluation.classes();
                } else if (evaluation != null && !classes.equals(evaluation.classes())) {
                    notes.add(strategy.strategy() + " seed " + run.seed() + ": evaluated on another class map ("
                            + evaluation.classes().size() + " classes) than the other runs; left out of the"
                            + " per-class figures");
                    evaluation = null;
                }
                runs.add(run(experiment, strategy.strategy(), run, evaluation, cost, testDigest, files, notes));
            }
            byStrategy.put(strategy.strategy(), runs);
        }

        Map<String, ConfusionMatrix> matrices = new LinkedHashMap<>();
        Map<String, Calibration> calibrations = new LinkedHashMap<>();
        List<Views.StrategyEvaluation> evaluations = new ArrayList<>();
        for (Views.Strategy strategy : experiment.strategies()) {
            Views.StrategyEvaluation evaluated =
                    strategyEvaluation(strategy, byStrategy.get(strategy.strategy()), matrices, calibrations, notes);
            evaluations.add(evaluated);
        }

        BestStrategy.PredictionSource source = (strategy, seed) -> byStrategy.getOrDefault(strategy, List.of()).stream()
                .filter(r -> r.run().seed() == seed && r.predictions() != null)
                .map(RunData::predictions)
                .findFirst();
        List<BestStrategy.Accuracies> accuracies = new ArrayList<>();
        for (Map.Entry<String, List<RunData>> e : byStrategy.entrySet()) {
            Map<Long, Double> bySeed = new TreeMap<>();
            e.getValue().forEach(r -> bySeed.put(r.run().seed(), r.run().testAccuracy()));
            accuracies.add(new BestStrategy.Accuracies(e.getKey(), bySeed));
        }
        Views.Verdict verdict = verdict(BestStrategy.decide(accuracies, source));

        CostComparison cost = cost(byStrategy, imageSize);
        Views.Comparison comparison = new Views.Comparison(
                experiment.experimentId(),
                experiment.state(),
                classes,
                verdict,
                evaluations,
                matrices.size() < 2
                        ? List.of()
                        : ClassDifferences.largest(matrices, CLASS_DIFFERENCES).stream()
                                // a class every strategy scores the same on does not differ between them
                                .filter(d -> d.spread() > 0)
                                .map(d -> new Views.ClassDifference(
                                        d.className(),
                                        d.spread(),
                                        d.highestStrategy(),
                                        d.highest(),
                                        d.lowestStrategy(),
                                        d.lowest(),
                                        d.accuracyByStrategy()))
                                .toList(),
                pairs(accuracies, source),
                cost == null ? null : costView(cost, byStrategy),
                List.copyOf(notes));
        return new ExperimentComparison(
                Views.withVerdict(experiment, verdict), comparison, matrices, calibrations, cost, order);
    }

    private static RunData run(
            Views.Experiment experiment,
            String strategy,
            Views.Run run,
            Evaluation evaluation,
            JobCost cost,
            String testDigest,
            PredictionsFiles files,
            List<String> notes) {
        if (evaluation == null) {
            return new RunData(strategy, run, null, null, cost, null, "no evaluation reported");
        }
        PredictionsFiles.Read read = files.read(experiment.experimentId(), run.jobId(), evaluation.predictions());
        Predictions predictions = read.predictions();
        String status = read.status();
        if (predictions != null) {
            String mismatch = null;
            if (testDigest != null && !predictions.testDigest().equals(testDigest)) {
                mismatch = "made on test set " + predictions.testDigest() + ", not the manifest's " + testDigest;
            } else if (predictions.size() != evaluation.testImages()
                    || predictions.classCount() != evaluation.classes().size()) {
                mismatch = predictions.size() + " images of " + predictions.classCount() + " classes, the evaluation "
                        + evaluation.testImages() + " of "
                        + evaluation.classes().size();
            }
            if (mismatch != null) {
                predictions = null;
                status = "refused: " + mismatch;
            }
        }
        if (predictions == null && evaluation.predictions() != null) {
            notes.add(strategy + " seed " + run.seed() + ": its predictions file is " + status);
        }
        ConfusionMatrix matrix = null;
        if (evaluation.confusionMatrix() != null) {
            matrix = ConfusionMatrix.of(evaluation.classes(), toArray(evaluation.confusionMatrix()));
        } else if (predictions != null) {
            matrix = ConfusionMatrix.of(evaluation.classes(), predictions);
        } else {
            notes.add(strategy + " seed " + run.seed() + ": the matrix of its "
                    + evaluation.classes().size()
                    + " classes is only in its predictions file, which could not be used");
        }
        return new RunData(strategy, run, evaluation, matrix, cost, predictions, status);
    }

    private static Views.StrategyEvaluation strategyEvaluation(
            Views.Strategy strategy,
            List<RunData> runs,
            Map<String, ConfusionMatrix> matrices,
            Map<String, Calibration> calibrations,
            List<String> notes) {
        ConfusionMatrix pooled = null;
        CalibrationBins bins = null;
        int evaluated = 0;
        List<Views.RunEvaluation> runViews = new ArrayList<>();
        for (RunData r : runs) {
            Double macroF1 = null;
            Double ece = null;
            if (r.matrix() != null) {
                pooled = pooled == null ? r.matrix() : pooled.plus(r.matrix());
                macroF1 = PerClassReport.of(r.matrix()).macroF1();
                evaluated++;
            }
            if (r.evaluation() != null) {
                CalibrationBins own = r.evaluation().calibration().bins();
                ece = Calibration.of(own).expectedCalibrationError();
                if (bins == null) {
                    bins = new CalibrationBins();
                }
                bins.addAll(own);
            }
            runViews.add(new Views.RunEvaluation(
                    r.run().jobId(), r.run().seed(), r.run().testAccuracy(), macroF1, ece, r.predictionsStatus()));
        }
        if (!runs.isEmpty() && runs.stream().allMatch(r -> r.evaluation() == null)) {
            notes.add(strategy.strategy() + ": no completed run reported an evaluation (a trainer older than the"
                    + " comparison)");
        }
        PerClassReport report = pooled == null ? null : PerClassReport.of(pooled);
        Calibration calibration = bins == null ? null : Calibration.of(bins);
        if (pooled != null) {
            matrices.put(strategy.strategy(), pooled);
        }
        if (calibration != null) {
            calibrations.put(strategy.strategy(), calibration);
        }
        return new Views.StrategyEvaluation(
                strategy.strategy(),
                runs.size(),
                evaluated,
                strategy.testAccuracy(),
                report == null ? null : report.macroPrecision(),
                report == null ? null : report.macroRecall(),
                report == null ? null : report.macroF1(),
                report == null
                        ? List.of()
                        : report.classes().stream()
                                .map(c -> new Views.ClassMetrics(
                                        c.className(), c.support(), c.precision(), c.recall(), c.f1()))
                                .toList(),
                pooled == null ? null : toLists(pooled),
                calibration == null ? null : calibrationView(calibration),
                List.copyOf(runViews));
    }

    /** Every two strategies with a shared completed seed, in chart order. */
    private static List<Views.PairTest> pairs(
            List<BestStrategy.Accuracies> strategies, BestStrategy.PredictionSource predictions) {
        List<Views.PairTest> pairs = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            for (int j = i + 1; j < strategies.size(); j++) {
                BestStrategy.Accuracies a = strategies.get(i);
                BestStrategy.Accuracies b = strategies.get(j);
                List<Long> seeds = a.bySeed().keySet().stream()
                        .filter(b.bySeed()::containsKey)
                        .sorted()
                        .toList();
                if (seeds.isEmpty()) {
                    continue;
                }
                List<Double> first = seeds.stream().map(a.bySeed()::get).toList();
                List<Double> second = seeds.stream().map(b.bySeed()::get).toList();
                double difference = 0;
                for (int k = 0; k < seeds.size(); k++) {
                    difference += first.get(k) - second.get(k);
                }
                pairs.add(new Views.PairTest(
                        a.strategy(),
                        b.strategy(),
                        seeds,
                        difference / seeds.size(),
                        seeds.size() >= 2 ? pairedT(PairedTTest.of(first, second)) : null,
                        mcnemar(a.strategy(), b.strategy(), seeds, predictions)));
            }
        }
        return pairs;
    }

    private static List<Views.SeedTest> mcnemar(
            String first, String second, List<Long> seeds, BestStrategy.PredictionSource predictions) {
        List<Views.SeedTest> tests = new ArrayList<>();
        for (long seed : seeds) {
            Optional<Predictions> a = predictions.find(first, seed);
            Optional<Predictions> b = predictions.find(second, seed);
            if (a.isPresent() && b.isPresent() && McNemar.testSetMismatch(a.get(), b.get()) == null) {
                tests.add(seedTest(seed, McNemar.compare(a.get(), b.get())));
            }
        }
        return tests;
    }

    static Views.Verdict verdict(BestStrategy.Verdict v) {
        return new Views.Verdict(
                v.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                v.leader(),
                v.runnerUp(),
                v.pairedSeeds(),
                v.test(),
                v.pValue(),
                BestStrategy.LEVEL,
                v.tTest() == null ? null : pairedT(v.tTest()),
                v.mcnemar().stream().map(s -> seedTest(s.seed(), s.result())).toList(),
                v.text());
    }

    private static Views.PairedT pairedT(PairedTTest t) {
        return new Views.PairedT(
                t.pairs(),
                t.meanDifference(),
                t.std(),
                t.ci95Low(),
                t.ci95High(),
                Double.isFinite(t.t()) ? t.t() : null,
                t.pValue());
    }

    private static Views.SeedTest seedTest(long seed, McNemar.Result r) {
        return new Views.SeedTest(seed, r.firstOnlyCorrect(), r.secondOnlyCorrect(), r.images(), r.pValue());
    }

    /** The cost of the runs that reported one; null when none did. */
    private static CostComparison cost(Map<String, List<RunData>> byStrategy, int imageSize) {
        List<CostComparison.RunCost> runs = new ArrayList<>();
        for (List<RunData> strategyRuns : byStrategy.values()) {
            for (RunData r : strategyRuns) {
                JobCost c = r.cost();
                if (c != null) {
                    runs.add(new CostComparison.RunCost(
                            r.strategy(),
                            r.run().seed(),
                            r.run().device(),
                            imageSize,
                            c.trainSeconds(),
                            c.trainImages(),
                            // validation passes are eval-mode device time too: one figure for both
                            c.evalSeconds() + (c.validationSeconds() == null ? 0 : c.validationSeconds()),
                            c.evalImages() + (c.validationImages() == null ? 0 : c.validationImages()),
                            c.peakMemoryBytes(),
                            r.run().testAccuracy()));
                }
            }
        }
        return runs.isEmpty() ? null : CostComparison.of(runs);
    }

    private static Views.Cost costView(CostComparison cost, Map<String, List<RunData>> byStrategy) {
        return new Views.Cost(
                cost.strategies().stream()
                        .map(s -> new Views.StrategyCost(
                                s.strategy(),
                                s.runs(),
                                s.meanTrainSeconds(),
                                s.meanEvalSeconds(),
                                s.meanDeviceSeconds(),
                                s.totalDeviceSeconds(),
                                s.trainImagesPerSecond(),
                                s.evalImagesPerSecond(),
                                s.peakMemoryBytes(),
                                peakKind(byStrategy.get(s.strategy()), s.peakMemoryBytes()),
                                s.meanAccuracy(),
                                s.projectedNotebookSeconds(),
                                s.pointsPerDeviceHour()))
                        .toList(),
                cost.cheapest(),
                cost.notebookRunSeconds(),
                cost.devices(),
                cost.imageSizes().stream().filter(size -> size > 0).toList());
    }

    /** What the strategy's largest peak measured: the kind its run reported. */
    private static String peakKind(List<RunData> runs, Long peak) {
        if (peak == null || runs == null) {
            return null;
        }
        return runs.stream()
                .filter(r -> r.cost() != null && peak.equals(r.cost().peakMemoryBytes()))
                .map(r -> r.cost().peakMemory())
                .findFirst()
                .orElse(null);
    }

    private static Views.Calibration calibrationView(Calibration c) {
        return new Views.Calibration(
                c.predictions(),
                c.expectedCalibrationError(),
                c.bins().stream().map(ComparisonBuilder::bin).toList(),
                bin(c.certain()));
    }

    private static Views.CalibrationBin bin(Calibration.Bin b) {
        return new Views.CalibrationBin(b.lower(), b.upper(), b.count(), b.meanConfidence(), b.accuracy());
    }

    private static long[][] toArray(List<List<Long>> rows) {
        return rows.stream()
                .map(row -> row.stream().mapToLong(Long::longValue).toArray())
                .toArray(long[][]::new);
    }

    private static List<List<Long>> toLists(ConfusionMatrix m) {
        List<List<Long>> rows = new ArrayList<>();
        for (int t = 0; t < m.size(); t++) {
            List<Long> row = new ArrayList<>();
            for (int p = 0; p < m.size(); p++) {
                row.add(m.count(t, p));
            }
            rows.add(List.copyOf(row));
        }
        return List.copyOf(rows);
    }
}
