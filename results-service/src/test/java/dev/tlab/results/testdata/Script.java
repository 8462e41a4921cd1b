package dev.tlab.results.testdata;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCancelled;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.TrainingJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the events of a scripted experiment with deterministic ids and increasing timestamps, as a trainer would
 * publish them.
 */
public final class Script {
    public static final long FULL_PARAMS = 11_181_642L;
    public static final long FREEZE_TRAINABLE = 14_666L;
    public static final long PARTIAL_TRAINABLE = 8_398_858L;

    private final UUID experimentId;
    private final AtomicLong clock;
    private final Instant base;
    /** Asked in the jobs and reported by the JobStarted that carry an environment; null: left out (fp32). */
    private Precision precision;
    /** Asked in the jobs; null: tested after the last epoch. */
    private EpochSelection selection;

    public Script(UUID experimentId, Instant base) {
        this.experimentId = experimentId;
        this.base = base;
        this.clock = new AtomicLong();
    }

    /** An experiment that asks to test each job on its best validation epoch. */
    public Script selectingEpochs(EpochSelection value) {
        this.selection = value;
        return this;
    }

    /** An experiment that asks for this precision, trained by trainers that say so. */
    public Script inPrecision(Precision value) {
        this.precision = value;
        return this;
    }

    public UUID experimentId() {
        return experimentId;
    }

    private Instant tick() {
        return base.plusMillis(clock.incrementAndGet());
    }

    private UUID eventId() {
        return UUID.randomUUID();
    }

    public static long trainable(String strategy) {
        return switch (strategy) {
            case "freeze" -> FREEZE_TRAINABLE;
            case "partial" -> PARTIAL_TRAINABLE;
            default -> FULL_PARAMS;
        };
    }

    public JobRef ref(String strategy, long seed, int attempt) {
        return new JobRef(TrainingJob.jobIdFor(experimentId, strategy, seed), experimentId, strategy, seed, attempt);
    }

    public TrainingJob job(
            String strategy, long seed, int attempt, String manifestId, String dataset, boolean synthetic, int epochs) {
        return job(strategy, seed, attempt, manifestId, dataset, synthetic, epochs, base);
    }

    /** A job as the dataset service publishes it: {@code requestedAt} is the experiment's request time. */
    public TrainingJob job(
            String strategy,
            long seed,
            int attempt,
            String manifestId,
            String dataset,
            boolean synthetic,
            int epochs,
            Instant requestedAt) {
        return new TrainingJob(
                eventId(),
                TrainingJob.TYPE,
                1,
                tick(),
                TrainingJob.jobIdFor(experimentId, strategy, seed),
                experimentId,
                manifestId,
                "http://localhost:8081/manifests/" + manifestId,
                dataset,
                synthetic,
                StrategySpec.BUILT_IN.containsKey(strategy)
                        ? StrategySpec.named(strategy)
                        : new StrategySpec(strategy, List.of("layer3.*", "layer4.*", "fc.*")),
                HyperParameters.builder()
                        .epochs(epochs)
                        .imageSize(32)
                        .precision(precision)
                        .selection(selection)
                        .build(),
                ModelSpec.trainerDefault(),
                seed,
                attempt,
                requestedAt,
                null,
                null);
    }

    /** The job of a strategy and seed with defaults, which announces the experiment to the results service. */
    public TrainingJob job(String strategy, long seed) {
        return job(strategy, seed, 1, "m-" + experimentId.toString().substring(0, 8), "cifar-10", false, 3);
    }

    /** A failed attempt; {@code nextAttempt} null = final. */
    public JobFailed failed(
            String strategy, long seed, int attempt, String reason, Integer nextAttempt, List<FailedAttempt> history) {
        Instant at = tick();
        return new JobFailed(
                eventId(),
                JobFailed.TYPE,
                1,
                at,
                ref(strategy, seed, attempt),
                "cpu()",
                reason,
                nextAttempt,
                nextAttempt == null ? null : at.plusSeconds(10),
                history);
    }

    public JobCancelled cancelledJob(String strategy, long seed, int attempt, int completedEpochs) {
        return new JobCancelled(
                eventId(),
                JobCancelled.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                completedEpochs,
                "stopped by the user");
    }

    public ExperimentCancelled cancelled(String reason) {
        return new ExperimentCancelled(eventId(), ExperimentCancelled.TYPE, 1, tick(), experimentId, reason);
    }

    public static DatasetManifest manifest(String manifestId, String dataset, boolean synthetic) {
        return new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                1,
                Instant.parse("2026-01-01T00:00:00Z"),
                manifestId,
                dataset,
                synthetic,
                "a".repeat(64),
                List.of("airplane", "automobile"),
                List.of(2, 2),
                SubsetPolicy.notebook(),
                List.of(0, 1, 2, 3),
                "b".repeat(64),
                10,
                "c".repeat(64),
                "http://localhost:8081/train",
                "http://localhost:8081/test");
    }

    public JobStarted started(
            String strategy, long seed, int attempt, int startEpoch, int epochs, String dataset, boolean synthetic) {
        return new JobStarted(
                eventId(),
                JobStarted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                startEpoch,
                epochs,
                trainable(strategy),
                FULL_PARAMS,
                dataset,
                synthetic,
                null,
                null);
    }

    public EpochCompleted epoch(
            String strategy, long seed, int attempt, int epoch, int epochs, double loss, double trainAccuracy) {
        return new EpochCompleted(
                eventId(),
                EpochCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                epoch,
                epochs,
                loss,
                trainAccuracy,
                12.5,
                240.0,
                0.25,
                null,
                null);
    }

    /** An epoch of a job that selects its epoch: evaluated on the validation split too. */
    public EpochCompleted epoch(
            String strategy,
            long seed,
            int attempt,
            int epoch,
            int epochs,
            double loss,
            double trainAccuracy,
            double valLoss,
            double valAccuracy) {
        return new EpochCompleted(
                eventId(),
                EpochCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                epoch,
                epochs,
                loss,
                trainAccuracy,
                12.5,
                240.0,
                0.25,
                valLoss,
                valAccuracy);
    }

    /**
     * JobCompleted of a job tested on the epoch its selection chose, after {@code selection.epochsTrained()} epochs.
     */
    public JobCompleted completed(
            String strategy, long seed, int attempt, double testAccuracy, SelectedEpoch selection) {
        return new JobCompleted(
                eventId(),
                JobCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                testAccuracy,
                trainable(strategy),
                FULL_PARAMS,
                321.5,
                selection.epochsTrained(),
                null,
                null,
                null,
                null,
                null,
                selection);
    }

    public JobCompleted completed(String strategy, long seed, int attempt, double testAccuracy, int epochs) {
        return new JobCompleted(
                eventId(),
                JobCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                testAccuracy,
                trainable(strategy),
                FULL_PARAMS,
                321.5,
                epochs,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** JobStarted of a trainer that reports what runs the job and in which precision. */
    public JobStarted started(String strategy, long seed, int attempt, RunEnvironment environment) {
        return new JobStarted(
                eventId(),
                JobStarted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                1,
                3,
                trainable(strategy),
                FULL_PARAMS,
                "cifar-10",
                false,
                environment,
                precision);
    }

    /** JobCompleted of a trainer that kept the model. */
    public JobCompleted completed(
            String strategy,
            long seed,
            int attempt,
            double testAccuracy,
            Instant startedAt,
            RunEnvironment environment,
            ModelArtifact model) {
        return new JobCompleted(
                eventId(),
                JobCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                testAccuracy,
                trainable(strategy),
                FULL_PARAMS,
                321.5,
                3,
                startedAt,
                environment,
                model,
                null,
                null,
                null);
    }

    /** JobCompleted of a trainer that reports its final evaluation and cost; the test accuracy is the matrix's. */
    public JobCompleted completed(String strategy, long seed, int attempt, Evaluation evaluation, JobCost cost) {
        long correct = 0;
        dev.tlab.datafiles.CalibrationBins bins = evaluation.calibration().bins();
        for (int slot = 0; slot < dev.tlab.datafiles.CalibrationBins.SLOTS; slot++) {
            correct += bins.correct(slot);
        }
        return new JobCompleted(
                eventId(),
                JobCompleted.TYPE,
                1,
                tick(),
                ref(strategy, seed, attempt),
                "cpu()",
                (double) correct / evaluation.testImages(),
                trainable(strategy),
                FULL_PARAMS,
                321.5,
                3,
                base,
                null,
                null,
                evaluation,
                cost,
                null);
    }

    public JobFailed failed(String strategy, long seed, int attempt, String reason) {
        return new JobFailed(eventId(), JobFailed.TYPE, 1, tick(), ref(strategy, seed, attempt), "cpu()", reason);
    }
}
