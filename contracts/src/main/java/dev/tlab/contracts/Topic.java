package dev.tlab.contracts;

import java.time.Duration;
import java.util.Map;

/**
 * Every Kafka topic of the product and its settings, defined once: the local broker, the tests, docker-compose and
 * the Strimzi resources are all made or checked from here.
 */
public enum Topic {
    /** ExperimentRequested, key experimentId. */
    EXPERIMENTS("experiments", 3, false, Duration.ofDays(7)),
    /** DatasetManifest, key manifestId; compacted so the latest manifest per id stays forever. */
    DATASET_MANIFESTS("dataset-manifests", 3, true, null),
    /** TrainingJob, key jobId (spreads jobs over partitions, hence over trainer replicas). */
    TRAINING_JOBS("training-jobs", 6, false, Duration.ofDays(7)),
    /** TrainingEvent, key experimentId; kept forever because the results service rebuilds from it. */
    TRAINING_EVENTS("training-events", 3, false, null),
    EXPERIMENTS_DLQ("experiments-dlq", 1, false, Duration.ofDays(30)),
    DATASET_MANIFESTS_DLQ("dataset-manifests-dlq", 1, false, Duration.ofDays(30)),
    TRAINING_JOBS_DLQ("training-jobs-dlq", 1, false, Duration.ofDays(30)),
    TRAINING_EVENTS_DLQ("training-events-dlq", 1, false, Duration.ofDays(30));

    /** Header names that the dead-letter topics carry (SmallRye's dead-letter-queue strategy writes these). */
    public static final String DLQ_REASON_HEADER = "dead-letter-reason";
    public static final String DLQ_CAUSE_HEADER = "dead-letter-cause";

    private final String topicName;
    private final int partitions;
    private final boolean compacted;
    private final Duration retention;

    Topic(String topicName, int partitions, boolean compacted, Duration retention) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.compacted = compacted;
        this.retention = retention;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    /** Replication factor for a single-broker setup; clusters override it (Strimzi resources say 3). */
    public short localReplicationFactor() {
        return 1;
    }

    public boolean compacted() {
        return compacted;
    }

    /** Topic-level configuration as Kafka names it ({@code cleanup.policy}, {@code retention.ms}). */
    public Map<String, String> config() {
        return Map.of(
                "cleanup.policy", compacted ? "compact" : "delete",
                "retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
    }

    public boolean deadLetter() {
        return topicName.endsWith("-dlq");
    }

    public static Topic byName(String name) {
        for (Topic topic : values()) {
            if (topic.topicName.equals(name)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("unknown topic " + name);
    }
}
