package dev.tlab.contracts;

import java.util.UUID;

/** The ids a training event belongs to: the job, its experiment, strategy, seed and delivery attempt. */
public record JobRef(UUID jobId, UUID experimentId, String strategy, Long seed, Integer attempt) {
    public JobRef {
        Fields.required(jobId, "job.jobId");
        Fields.required(experimentId, "job.experimentId");
        Fields.requiredText(strategy, "job.strategy");
        Fields.required(seed, "job.seed");
        Fields.intInRange(Fields.required(attempt, "job.attempt"), 1, 1000, "job.attempt");
    }

    public static JobRef of(TrainingJob job) {
        return new JobRef(job.jobId(), job.experimentId(), job.strategy().name(), job.seed(), job.attempt());
    }
}
