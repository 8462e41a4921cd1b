package dev.tlab.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One strategy (and seed) of an experiment for one trainer (topic {@code training-jobs}, key jobId). The job id is
 * derived from experiment, strategy and seed, so a repeated request yields the same job.
 *
 * @param manifestUrl where the trainer fetches the {@link DatasetManifest} (and from it the data)
 * @param attempt     1 for the first delivery; a retry publishes the same job with the next attempt
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
        boolean synthetic,
        StrategySpec strategy,
        HyperParameters hyperParameters,
        ModelSpec model,
        Long seed,
        Integer attempt) implements Event {

    public static final String TYPE = "TrainingJob";
    public static final int SCHEMA_VERSION = 1;

    public TrainingJob {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
        Fields.required(jobId, "jobId");
        Fields.required(experimentId, "experimentId");
        Fields.requiredText(manifestId, "manifestId");
        Fields.requiredText(manifestUrl, "manifestUrl");
        Fields.requiredText(dataset, "dataset");
        Fields.required(strategy, "strategy");
        hyperParameters = Fields.orDefault(hyperParameters, HyperParameters.notebook());
        model = Fields.orDefault(model, ModelSpec.trainerDefault());
        seed = Fields.orDefault(seed, 0L);
        attempt = Fields.intInRange(Fields.orDefault(attempt, 1), 1, 1000, "attempt");
    }

    /** The stable id of the job for one strategy and seed of an experiment. */
    public static UUID jobIdFor(UUID experimentId, String strategy, long seed) {
        return UUID.nameUUIDFromBytes((experimentId + "/" + strategy + "/" + seed).getBytes(StandardCharsets.UTF_8));
    }
}
