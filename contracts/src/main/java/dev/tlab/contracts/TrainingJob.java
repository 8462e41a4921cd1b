package dev.tlab.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One strategy (and seed) of an experiment for one trainer (topic {@code training-jobs}, key jobId). The job id is
 * derived from experiment, strategy and seed, so a repeated request yields the same job.
 *
 * @param manifestUrl where the trainer fetches the {@link DatasetManifest} (and from it the data)
 * @param attempt 1 for the first delivery; a failed attempt that may be retried is published again by the trainer that
 *     ran it, with the next attempt number (see {@link #retry})
 * @param requestedAt when the experiment was requested (its ExperimentRequested's occurredAt): the experiment's
 *     creation time wherever it is shown; null from older writers
 * @param notBefore a retried job waits until then (its backoff); null = start at once
 * @param failedAttempts the earlier attempts that failed, oldest first (empty for a first attempt)
 */
public record TrainingJob(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        UUID jobId,
        UUID experimentId,
        String manifestId,
        String manifestUrl,
        String dataset,
        Boolean synthetic,
        StrategySpec strategy,
        HyperParameters hyperParameters,
        ModelSpec model,
        Long seed,
        Integer attempt,
        Instant requestedAt,
        Instant notBefore,
        List<FailedAttempt> failedAttempts)
        implements Event {

    public static final String TYPE = "TrainingJob";
    public static final int SCHEMA_VERSION = 1;

    public TrainingJob {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(jobId, "jobId");
        Fields.required(experimentId, "experimentId");
        Fields.requiredText(manifestId, "manifestId");
        Fields.requiredText(manifestUrl, "manifestUrl");
        Fields.requiredText(dataset, "dataset");
        Fields.required(synthetic, "synthetic");
        Fields.required(strategy, "strategy");
        hyperParameters = Fields.orDefault(hyperParameters, HyperParameters.notebook());
        model = Fields.orDefault(model, ModelSpec.trainerDefault());
        seed = Fields.orDefault(seed, 0L);
        attempt = Fields.intInRange(Fields.orDefault(attempt, 1), 1, 1000, "attempt");
        failedAttempts = failedAttempts == null ? List.of() : List.copyOf(failedAttempts);
    }

    /** The version-1 fields only (no request time, no retry history). */
    public TrainingJob(
            UUID eventId,
            String type,
            Integer schemaVersion,
            Instant occurredAt,
            UUID jobId,
            UUID experimentId,
            String manifestId,
            String manifestUrl,
            String dataset,
            Boolean synthetic,
            StrategySpec strategy,
            HyperParameters hyperParameters,
            ModelSpec model,
            Long seed,
            Integer attempt) {
        this(
                eventId,
                type,
                schemaVersion,
                occurredAt,
                jobId,
                experimentId,
                manifestId,
                manifestUrl,
                dataset,
                synthetic,
                strategy,
                hyperParameters,
                model,
                seed,
                attempt,
                null,
                null,
                null);
    }

    /** The stable id of the job for one strategy and seed of an experiment. */
    public static UUID jobIdFor(UUID experimentId, String strategy, long seed) {
        return UUID.nameUUIDFromBytes((experimentId + "/" + strategy + "/" + seed).getBytes(StandardCharsets.UTF_8));
    }

    /** The same job as its next attempt, after {@code failure} (this attempt's), to start not before {@code at}. */
    public TrainingJob retry(int nextAttempt, FailedAttempt failure, Instant at) {
        List<FailedAttempt> failures = new ArrayList<>(failedAttempts);
        failures.add(failure);
        return new TrainingJob(
                UUID.randomUUID(),
                TYPE,
                SCHEMA_VERSION,
                Instant.now(),
                jobId,
                experimentId,
                manifestId,
                manifestUrl,
                dataset,
                synthetic,
                strategy,
                hyperParameters,
                model,
                seed,
                nextAttempt,
                requestedAt,
                at,
                failures);
    }
}
