package dev.tlab.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the results service answers over REST ({@code GET /experiments}, {@code /experiments/{id}},
 * {@code /experiments/{id}/leaderboard}, {@code /unknown-experiments}) and its clients read ({@code lab-cli}): one
 * definition for both sides, so a renamed field breaks the build, not a user. Accuracies are fractions in [0, 1]; the
 * {@code ...Percent} fields repeat them in percent as the notebook prints them. The JSON samples are in contracts'
 * {@code src/test/resources/golden/views}.
 */
public final class Views {
    private Views() {}

    /**
     * One finished epoch; {@code valLoss} and {@code valAccuracy} are its pass over the validation split, present only
     * for a job with epoch selection (left out otherwise, so that an epoch without them reads as before).
     */
    public record Epoch(
            int epoch,
            int attempt,
            double loss,
            double trainAccuracy,
            double seconds,
            double imagesPerSecond,
            double dataWaitSeconds,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double valLoss,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double valAccuracy) {}

    /**
     * One job: a strategy with one seed, over its attempts. {@code failedAttempts} has every attempt that failed and
     * why; while {@code state} is {@code retrying}, {@code nextAttempt} starts at {@code retryAt}. The record of the
     * latest attempt: {@code startedAt}, {@code finishedAt} (once completed), {@code environment} (engine, libtorch,
     * flavour, trainer version, replica, memory format), the {@code precision} the trainer computed in (null until it
     * started, or from older trainers) and the fine-tuned {@code model} it kept (null while not completed, or from
     * older trainers). {@code selection}: for a completed job with epoch selection, the epoch it was tested on and why
     * (its test accuracy and model are that epoch's); left out otherwise.
     */
    public record Run(
            UUID jobId,
            long seed,
            int attempt,
            String state,
            Double testAccuracy,
            Long trainableParameters,
            Long totalParameters,
            Double wallSeconds,
            String device,
            String failureReason,
            Integer startEpoch,
            Integer epochsPlanned,
            int epochsCompleted,
            Double progress,
            List<Epoch> epochs,
            List<FailedAttempt> failedAttempts,
            Integer nextAttempt,
            Instant retryAt,
            String cancelReason,
            Instant startedAt,
            Instant finishedAt,
            RunEnvironment environment,
            Precision precision,
            ModelFile model,
            @JsonInclude(JsonInclude.Include.NON_NULL) SelectedEpoch selection) {}

    /** A kept fine-tuned model (TorchScript): its digest, size and where to download it. */
    public record ModelFile(String sha256, long bytes, String href) {
        public static ModelFile of(UUID experimentId, UUID jobId, ModelArtifact artifact) {
            return artifact == null
                    ? null
                    : new ModelFile(
                            artifact.sha256(),
                            artifact.bytes(),
                            "/experiments/" + experimentId + "/jobs/" + jobId + "/model");
        }
    }

    /** The model to take home: the best strategy's best completed run that kept one. */
    public record BestModel(
            UUID jobId, String strategy, long seed, double testAccuracy, String sha256, long bytes, String href) {}

    /** One kept model of an experiment ({@code GET /experiments/{id}/models}). */
    public record ModelEntry(
            UUID jobId, String strategy, long seed, double testAccuracy, String sha256, long bytes, String href) {}

    /** An experiment's kept models, best first; {@code best} is the model to take home, null until one was kept. */
    public record Models(UUID experimentId, BestModel best, List<ModelEntry> models) {}

    /**
     * The request as the dataset service accepted it, rebuilt from its jobs and the dataset manifest: enough to run it
     * again ({@code lab trigger --like}). {@code subset} and the digests come from the manifest (null until it is
     * read); {@code strategies} carry their parameter patterns; {@code seeds} are sorted.
     */
    public record Request(
            String dataset,
            boolean synthetic,
            String manifestId,
            String sourceFingerprint,
            String subsetDigest,
            String testDigest,
            SubsetPolicy subset,
            List<StrategySpec> strategies,
            HyperParameters hyperParameters,
            ModelSpec model,
            List<Long> seeds,
            Instant requestedAt) {}

    public record FailedAttempt(int attempt, String reason, Instant failedAt) {}

    /**
     * One strategy of an experiment over its seeds. {@code testAccuracy} is the mean over completed seeds; std and the
     * 95% interval (t-distribution) need two or more. {@code epochs} are those of the lowest seed's run.
     * {@code precision}: the requested one, or what its runs reported when the request is not known.
     */
    public record Strategy(
            String strategy,
            String state,
            Integer rank,
            int seeds,
            int completedSeeds,
            Double testAccuracy,
            Double testAccuracyStd,
            Double ci95Low,
            Double ci95High,
            Long trainableParameters,
            Long totalParameters,
            Double wallSeconds,
            String device,
            Precision precision,
            Double progress,
            List<Epoch> epochs,
            List<Run> runs) {}

    public record Best(String strategy, double testAccuracy, double testAccuracyPercent) {}

    /**
     * A row of the notebook's final table, with the precision it was trained in (null when nobody said).
     * {@code selectedEpochs}: for a strategy tested on a selected epoch, which epoch each completed seed was tested on,
     * by seed; left out when none was.
     */
    public record LeaderboardRow(
            Integer rank,
            String strategy,
            String state,
            Double testAccuracy,
            Double testAccuracyPercent,
            Long trainableParameters,
            Long totalParameters,
            int seeds,
            Double testAccuracyStd,
            Double ci95Low,
            Double ci95High,
            Precision precision,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<SeedSelection> selectedEpochs) {}

    /** The epoch one seed's run was tested on (see {@link SelectedEpoch}). */
    public record SeedSelection(long seed, SelectedEpoch selection) {}

    /**
     * {@code cancellation} is null unless the experiment was cancelled. {@code best} is the notebook's "best strategy":
     * the highest mean test accuracy. {@code classNames}: the class map of a dataset of the user's own images (label i
     * is {@code classNames.get(i)}), from its manifest; absent for CIFAR-10 and synthetic and until the manifest is
     * known. {@code verdict} says whether the best is more than noise (see {@link Verdict}); null where the service did
     * not compare (older services). {@code datasetReport}: what the manifest of a dataset of the user's own images says
     * about the data (split counts, rejects, leaks, notes); absent like {@code classNames}.
     */
    public record Leaderboard(
            UUID experimentId,
            String dataset,
            boolean synthetic,
            String state,
            List<LeaderboardRow> rows,
            Best best,
            Cancellation cancellation,
            // left out while null, so that a leaderboard without them reads as before
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> classNames,
            @JsonInclude(JsonInclude.Include.NON_NULL) Verdict verdict,
            @JsonInclude(JsonInclude.Include.NON_NULL) DatasetReport datasetReport) {

        /** Without the dataset report (the fields before it). */
        public Leaderboard(
                UUID experimentId,
                String dataset,
                boolean synthetic,
                String state,
                List<LeaderboardRow> rows,
                Best best,
                Cancellation cancellation,
                List<String> classNames,
                Verdict verdict) {
            this(experimentId, dataset, synthetic, state, rows, best, cancellation, classNames, verdict, null);
        }

        /** Without class names and verdict (the fields before them). */
        public Leaderboard(
                UUID experimentId,
                String dataset,
                boolean synthetic,
                String state,
                List<LeaderboardRow> rows,
                Best best,
                Cancellation cancellation) {
            this(experimentId, dataset, synthetic, state, rows, best, cancellation, null, null, null);
        }

        public Leaderboard withVerdict(Verdict value) {
            return new Leaderboard(
                    experimentId,
                    dataset,
                    synthetic,
                    state,
                    rows,
                    best,
                    cancellation,
                    classNames,
                    value,
                    datasetReport);
        }
    }

    /**
     * What the manifest of a dataset of the user's own images says about its data ({@link ImageManifest}): how each
     * split was made and its images per class (train, val, test), the training subset, the image files that could not
     * be used ({@code rejectCount} in all; {@code rejects} lists at most the manifest's first
     * {@value ImageManifest#LISTED} with their reasons), the images whose bytes are in two splits ({@code leakCount};
     * {@code leaks} lists at most as many), and {@code notes} about how some images were read (none when there is
     * nothing to say). The manifest's index has every reject and leak.
     */
    public record DatasetReport(
            List<ImageManifest.SplitSummary> splits,
            ImageManifest.Subset subset,
            int rejectCount,
            List<ImageManifest.RejectedFile> rejects,
            int leakCount,
            List<ImageManifest.Leak> leaks,
            List<DatasetNote> notes) {}

    /**
     * A note on a dataset of the user's own images: its {@code kind} ({@code exif-rotated}, {@code lossy-webp},
     * {@code ignored:<reason>}), how many images or files it is about, and the sentence the page and {@code ./lab
     * leaderboard} show.
     */
    public record DatasetNote(String kind, int count, String text) {}

    public record Cancellation(Instant cancelledAt, String reason) {}

    /**
     * The dataset service could not carry out the experiment after it accepted it (ExperimentFailed): no (further) job
     * of it is published. {@code field} is the request field to blame, {@code $} for the request as a whole.
     */
    public record Failure(Instant failedAt, String field, String reason) {}

    /**
     * {@code createdAt}: when the experiment was requested (from its jobs' {@code requestedAt}). {@code request}: the
     * accepted request (null for experiments known only from training events); {@code bestModel}: the model to take
     * home, null until a completed job kept one; {@code failure}: null unless the dataset service failed the experiment
     * after it accepted it (then {@code state} is {@code failed} once no job of it runs any more).
     */
    public record Experiment(
            UUID experimentId,
            Instant createdAt,
            Instant updatedAt,
            long version,
            String state,
            String dataset,
            boolean synthetic,
            String manifestId,
            List<String> ranking,
            Best best,
            List<Strategy> strategies,
            Leaderboard leaderboard,
            Cancellation cancellation,
            Request request,
            BestModel bestModel,
            Failure failure) {}

    /**
     * The experiment with its leaderboard's verdict filled in (the aggregate's view has none: the verdict may need the
     * predictions files).
     */
    public static Experiment withVerdict(Experiment e, Verdict verdict) {
        return new Experiment(
                e.experimentId(),
                e.createdAt(),
                e.updatedAt(),
                e.version(),
                e.state(),
                e.dataset(),
                e.synthetic(),
                e.manifestId(),
                e.ranking(),
                e.best(),
                e.strategies(),
                e.leaderboard() == null ? null : e.leaderboard().withVerdict(verdict),
                e.cancellation(),
                e.request(),
                e.bestModel(),
                e.failure());
    }

    /**
     * Whether the leader of the leaderboard is really better than the runner-up ({@code GET
     * /experiments/{id}/comparison} and the leaderboard). Strategies are ranked by mean test accuracy; the leader and
     * the runner-up are paired on the seeds both completed: with two or more the paired t-test of their per-seed
     * accuracies decides, with one McNemar's exact test of that seed's per-image predictions, with none nothing is
     * claimed. The leader is named best only when that test's two-sided p is below {@code level} (0.05).
     *
     * @param outcome {@code best}, {@code indistinguishable} (p at or above the level), {@code split} (on the shared
     *     seeds the runner-up is significantly better, though the leader's mean over all its seeds is higher),
     *     {@code untested} (no paired test was possible), {@code single-strategy} or {@code no-results}
     * @param test what decided ({@code paired t-test over seeds 0, 1, 2} or {@code McNemar's exact test on seed 0}),
     *     null when nothing was tested
     * @param pValue that test's two-sided p, null when nothing was tested
     * @param tTest the paired t-test, when two or more seeds were paired
     * @param mcnemar McNemar's exact test of every paired seed whose two predictions files could be read (reported, not
     *     combined: every seed is scored on the same test images, so the tests are not independent)
     * @param text the sentence the page, {@code ./lab leaderboard} and the report show: {@code best: full (+2.17 points
     *     over partial; ...)} or {@code full and partial are indistinguishable on this data (p = 0.41, ...)}
     */
    public record Verdict(
            String outcome,
            String leader,
            String runnerUp,
            List<Long> pairedSeeds,
            String test,
            Double pValue,
            double level,
            PairedT tTest,
            List<SeedTest> mcnemar,
            String text) {}

    /**
     * The paired t-test of two strategies' accuracies over shared seeds: the mean difference (first minus second, a
     * fraction), its sample standard deviation, its two-sided 95% t-interval, t (null when every difference is the same
     * and not zero: infinite) and the two-sided p.
     */
    public record PairedT(
            int pairs, double meanDifference, double std, double ci95Low, double ci95High, Double t, double pValue) {}

    /**
     * McNemar's exact test of one seed: {@code firstOnlyCorrect} test images only the first strategy got right,
     * {@code secondOnlyCorrect} only the second, of {@code images} paired images; the two-sided exact p.
     */
    public record SeedTest(long seed, long firstOnlyCorrect, long secondOnlyCorrect, long images, double pValue) {}

    /**
     * Two strategies compared on the seeds both completed: the paired t-test (two or more seeds) and McNemar's test per
     * seed; {@code meanDifference} is the first's mean accuracy minus the second's on those seeds.
     */
    public record PairTest(
            String first,
            String second,
            List<Long> pairedSeeds,
            Double meanDifference,
            PairedT tTest,
            List<SeedTest> mcnemar) {}

    /**
     * One class of a strategy's per-class report (scikit-learn's {@code precision_recall_fscore_support}): its test
     * images ({@code support}), precision, recall (the class's accuracy) and F1; a ratio with a zero denominator is 0.
     */
    public record ClassMetrics(String className, long support, double precision, double recall, double f1) {}

    /**
     * One bin of a reliability diagram: the confidence range [{@code lower}, {@code upper}), how many predictions,
     * their mean confidence and accuracy (null when empty).
     */
    public record CalibrationBin(double lower, double upper, long count, Double meanConfidence, Double accuracy) {}

    /**
     * The calibration of a strategy's runs pooled: the expected calibration error over 15 equal-width bins (Guo et al.
     * 2017; torchmetrics' binning), null without predictions, and the reliability diagram's bins; {@code certain} holds
     * the predictions made with confidence exactly 1.0.
     */
    public record Calibration(
            long predictions, Double expectedCalibrationError, List<CalibrationBin> bins, CalibrationBin certain) {}

    /**
     * One completed run's evaluation: its test accuracy, macro F1 and expected calibration error (null when its trainer
     * reported no evaluation), and {@code predictions}: {@code checked} when its predictions file was read and had the
     * reported digest, else why it could not be used.
     */
    public record RunEvaluation(
            UUID jobId,
            long seed,
            double testAccuracy,
            Double macroF1,
            Double expectedCalibrationError,
            String predictions) {}

    /**
     * A strategy's final evaluations, its completed runs (seeds) pooled: {@code confusionMatrix[t][p]} counts test
     * images of true class t predicted as p over every run (classes in {@link Comparison#classes} order); the per-class
     * report and its macro averages (unweighted means over every class) from that matrix; the calibration of every
     * run's predictions. Null figures: no run of it reported an evaluation.
     */
    public record StrategyEvaluation(
            String strategy,
            int completedRuns,
            int evaluatedRuns,
            Double testAccuracy,
            Double macroPrecision,
            Double macroRecall,
            Double macroF1,
            List<ClassMetrics> perClass,
            List<List<Long>> confusionMatrix,
            Calibration calibration,
            List<RunEvaluation> runs) {}

    /**
     * A class whose accuracy differs between strategies: each strategy's accuracy on it (its runs pooled), the highest
     * and the lowest, and {@code spread} = highest - lowest (fractions).
     */
    public record ClassDifference(
            String className,
            double spread,
            String highestStrategy,
            double highest,
            String lowestStrategy,
            double lowest,
            Map<String, Double> accuracyByStrategy) {}

    /**
     * What a strategy cost over its completed runs: mean training, evaluation and device seconds (their sum) per run,
     * their total, training and evaluation images per second, the largest peak memory any run reported (and what it
     * measured: {@code device} or {@code process-rss}), the mean test accuracy, the projected seconds of the notebook's
     * run of this strategy (10 epochs of 3,000 images and 10,000 test images) at these speeds on the same device, and
     * the points of accuracy each extra device-hour buys over the cheapest strategy (null for the cheapest).
     */
    public record StrategyCost(
            String strategy,
            int runs,
            double meanTrainSeconds,
            double meanEvalSeconds,
            double meanDeviceSeconds,
            double totalDeviceSeconds,
            Double trainImagesPerSecond,
            Double evalImagesPerSecond,
            Long peakMemoryBytes,
            String peakMemory,
            double meanAccuracy,
            Double projectedNotebookSeconds,
            Double pointsPerDeviceHour) {}

    /**
     * The cost of every strategy whose runs reported one; {@code cheapest} has the fewest mean device-seconds;
     * {@code notebookRunSeconds} adds up the projections of freeze, partial and full (null unless all three ran);
     * {@code devices} and {@code imageSizes} are those the runs used (the projections hold for them).
     */
    public record Cost(
            List<StrategyCost> strategies,
            String cheapest,
            Double notebookRunSeconds,
            List<String> devices,
            List<Integer> imageSizes) {}

    /**
     * The comparison of an experiment's strategies beyond the notebook's table ({@code GET
     * /experiments/{id}/comparison}): the verdict on the leader, every strategy's evaluation (confusion matrix,
     * per-class report, calibration), the classes whose accuracy differs most between strategies, the paired tests of
     * every two strategies, and the cost. {@code classes} is the class map of the evaluations (null until a run
     * reported one); {@code strategies} are in the chart order; {@code notes} say what could not be compared and why (a
     * run without an evaluation, a predictions file that is missing or does not have its reported digest).
     */
    public record Comparison(
            UUID experimentId,
            String state,
            List<String> classes,
            Verdict verdict,
            List<StrategyEvaluation> strategies,
            List<ClassDifference> classDifferences,
            List<PairTest> pairs,
            Cost cost,
            List<String> notes) {}

    public record Summary(
            UUID experimentId,
            Instant createdAt,
            Instant updatedAt,
            String state,
            String dataset,
            boolean synthetic,
            int strategies,
            int completedStrategies,
            Best best) {}

    /**
     * Training events about an experiment that no TrainingJob or cancellation of the dataset service announced: kept
     * apart from the experiments (a stray or forged producer, or events whose jobs are still being read at start).
     */
    public record UnknownExperiment(
            UUID experimentId, int events, List<String> strategies, Instant firstEventAt, Instant lastEventAt) {}

    public record Page<T>(int page, int size, long total, List<T> items) {}
}
