package dev.tlab.contracts;

import java.time.Duration;
import java.util.Map;

/**
 * Every Kafka topic of the product and its settings, defined once: the local broker, the tests, docker-compose and the
 * Strimzi resources are all made or checked from here.
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
    /**
     * ExperimentCancelled, key experimentId; compacted and kept forever, so that every trainer (each reads the whole
     * topic with a consumer group of its own) and the results service know every cancellation after a restart.
     */
    EXPERIMENT_CANCELLATIONS("experiment-cancellations", 1, true, null),
    EXPERIMENTS_DLQ("experiments-dlq", 1, false, Duration.ofDays(30)),
    DATASET_MANIFESTS_DLQ("dataset-manifests-dlq", 1, false, Duration.ofDays(30)),
    TRAINING_JOBS_DLQ("training-jobs-dlq", 1, false, Duration.ofDays(30)),
    TRAINING_EVENTS_DLQ("training-events-dlq", 1, false, Duration.ofDays(30)),
    EXPERIMENT_CANCELLATIONS_DLQ("experiment-cancellations-dlq", 1, false, Duration.ofDays(30));

    /**
     * The largest record batch a topic that carries our messages accepts ({@code max.message.bytes}); producers use it
     * as {@code max.request.size} and consumers as {@code max.partition.fetch.bytes}. 1 MiB: Kafka's usual limit, and
     * far above the largest message we write (a manifest of all 50,000 CIFAR-10 indices is about 300 KB).
     */
    public static final int MAX_MESSAGE_BYTES = 1_048_576;
    /**
     * What a dead-letter topic accepts beyond {@link #MAX_MESSAGE_BYTES}: the largest original (key, value and headers)
     * plus the reason headers, which are capped well below this, always fits.
     */
    public static final int DEAD_LETTER_HEADROOM_BYTES = 65_536;

    /** Header names that the dead-letter copies carry besides the original headers (see the messaging module). */
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

    /**
     * Topic-level configuration as Kafka names it ({@code cleanup.policy}, {@code retention.ms},
     * {@code max.message.bytes}).
     */
    public Map<String, String> config() {
        return Map.of(
                "cleanup.policy", compacted ? "compact" : "delete",
                "retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()),
                "max.message.bytes", Integer.toString(maxMessageBytes()));
    }

    public boolean deadLetter() {
        return topicName.endsWith("-dlq");
    }

    /** The topic's {@code max.message.bytes}: dead-letter topics have room for the largest original plus reasons. */
    public int maxMessageBytes() {
        return deadLetter() ? MAX_MESSAGE_BYTES + DEAD_LETTER_HEADROOM_BYTES : MAX_MESSAGE_BYTES;
    }

    /** The dead-letter topic of this topic. */
    public Topic deadLetterTopic() {
        if (deadLetter()) {
            throw new IllegalStateException(topicName + " is a dead-letter topic itself");
        }
        return byName(topicName + "-dlq");
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
