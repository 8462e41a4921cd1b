package dev.tlab.contracts.api;

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
    private Views() {
    }

    public record Epoch(int epoch, int attempt, double loss, double trainAccuracy, double seconds,
            double imagesPerSecond, double dataWaitSeconds) {
    }

    /**
     * One job: a strategy with one seed, over its attempts. {@code failedAttempts} has every attempt that failed and
     * why; while {@code state} is {@code retrying}, {@code nextAttempt} starts at {@code retryAt}.
     */
    public record Run(UUID jobId, long seed, int attempt, String state, Double testAccuracy, Long trainableParameters,
            Long totalParameters, Double wallSeconds, String device, String failureReason, Integer startEpoch,
            Integer epochsPlanned, int epochsCompleted, Double progress, List<Epoch> epochs,
            List<FailedAttempt> failedAttempts, Integer nextAttempt, Instant retryAt, String cancelReason) {
    }

    public record FailedAttempt(int attempt, String reason, Instant failedAt) {
    }

    /**
     * One strategy of an experiment over its seeds. {@code testAccuracy} is the mean over completed seeds; std and
     * the 95% interval (t-distribution) need two or more. {@code epochs} are those of the lowest seed's run.
     */
    public record Strategy(String strategy, String state, Integer rank, int seeds, int completedSeeds,
            Double testAccuracy, Double testAccuracyStd, Double ci95Low, Double ci95High, Long trainableParameters,
            Long totalParameters, Double wallSeconds, String device, Double progress, List<Epoch> epochs,
            List<Run> runs) {
    }

    public record Best(String strategy, double testAccuracy, double testAccuracyPercent) {
    }

    /** A row of the notebook's final table. */
    public record LeaderboardRow(Integer rank, String strategy, String state, Double testAccuracy,
            Double testAccuracyPercent, Long trainableParameters, Long totalParameters, int seeds,
            Double testAccuracyStd, Double ci95Low, Double ci95High) {
    }

    /** {@code cancellation} is null unless the experiment was cancelled. */
    public record Leaderboard(UUID experimentId, String dataset, boolean synthetic, String state,
            List<LeaderboardRow> rows, Best best, Cancellation cancellation) {
    }

    public record Cancellation(Instant cancelledAt, String reason) {
    }

    /** {@code createdAt}: when the experiment was requested (from its jobs' {@code requestedAt}). */
    public record Experiment(UUID experimentId, Instant createdAt, Instant updatedAt, long version, String state,
            String dataset, boolean synthetic, String manifestId, List<String> ranking, Best best,
            List<Strategy> strategies, Leaderboard leaderboard, Cancellation cancellation) {
    }

    public record Summary(UUID experimentId, Instant createdAt, Instant updatedAt, String state, String dataset,
            boolean synthetic, int strategies, int completedStrategies, Best best) {
    }

    /**
     * Training events about an experiment that no TrainingJob or cancellation of the dataset service announced: kept
     * apart from the experiments (a stray or forged producer, or events whose jobs are still being read at start).
     */
    public record UnknownExperiment(UUID experimentId, int events, List<String> strategies, Instant firstEventAt,
            Instant lastEventAt) {
    }

    public record Page<T>(int page, int size, long total, List<T> items) {
    }
}
