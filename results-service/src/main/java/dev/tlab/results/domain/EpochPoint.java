package dev.tlab.results.domain;

import java.time.Instant;

/** One finished epoch of one job as the aggregate keeps it (accuracy as a fraction in [0, 1]). */
public record EpochPoint(
        int epoch,
        int attempt,
        double loss,
        double trainAccuracy,
        double seconds,
        double imagesPerSecond,
        double dataWaitSeconds,
        String device,
        Instant occurredAt) {}
