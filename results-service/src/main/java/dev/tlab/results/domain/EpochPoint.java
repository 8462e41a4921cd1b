package dev.tlab.results.domain;

import java.time.Instant;

/**
 * One finished epoch of one job as the aggregate keeps it (accuracy as a fraction in [0, 1]); {@code valLoss} and
 * {@code valAccuracy} are null unless the job selects its epoch on a validation split. The whole point, validation
 * included, follows the epoch rules of {@link JobRun}.
 */
public record EpochPoint(
        int epoch,
        int attempt,
        double loss,
        double trainAccuracy,
        double seconds,
        double imagesPerSecond,
        double dataWaitSeconds,
        String device,
        Instant occurredAt,
        Double valLoss,
        Double valAccuracy) {}
