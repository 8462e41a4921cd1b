package dev.tlab.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.time.Instant;
import java.util.List;
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

    public record Epoch(
            int epoch,
            int attempt,
            double loss,
            double trainAccuracy,
            double seconds,
            double imagesPerSecond,
            double dataWaitSeconds) {}

    /**
     * One job: a strategy with one seed, over its attempts. {@code failedAttempts} has every attempt that failed and
     * why; while {@code state} is {@code retrying}, {@code nextAttempt} starts at {@code retryAt}. The record of the
     * latest attempt: {@code startedAt}, {@code finishedAt} (once completed), {@code environment} (engine, libtorch,
     * flavour, trainer version, replica, memory format), the {@code precision} the trainer computed in (null until it
     * started, or from older trainers) and the fine-tuned {@code model} it kept (null while not completed, or from
     * older trainers).
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
            ModelFile model) {}

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

    /** A row of the notebook's final table, with the precision it was trained in (null when nobody said). */
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
            Precision precision) {}

    /**
     * {@code cancellation} is null unless the experiment was cancelled. {@code classNames}: the class map of a dataset
     * of the user's own images (label i is {@code classNames.get(i)}), from its manifest; absent for CIFAR-10 and
     * synthetic and until the manifest is known.
     */
    public record Leaderboard(
            UUID experimentId,
            String dataset,
            boolean synthetic,
            String state,
            List<LeaderboardRow> rows,
            Best best,
            Cancellation cancellation,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> classNames) {

        public Leaderboard(
                UUID experimentId,
                String dataset,
                boolean synthetic,
                String state,
                List<LeaderboardRow> rows,
                Best best,
                Cancellation cancellation) {
            this(experimentId, dataset, synthetic, state, rows, best, cancellation, null);
        }
    }

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
