package dev.tlab.contracts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who may do what on the lab's Kafka, defined once: the local broker ({@code local-kafka}) applies exactly these
 * grants, the Kubernetes {@code KafkaUser}s and docker-compose mirror them (the table in {@code deploy/README.md},
 * "Security"), and the services' consumer groups are named here. Every identity authenticates with
 * {@link #SASL_MECHANISM}; anything not granted is denied.
 */
public final class KafkaAccess {
    /** The one SASL mechanism of the lab's brokers. */
    public static final String SASL_MECHANISM = "SCRAM-SHA-512";

    /** The dataset service's group on {@code experiments}. */
    public static final String DATASET_SERVICE_GROUP = "dataset-service";
    /** Shared by every trainer replica, so that each job goes to exactly one of them (the autoscaler reads its lag). */
    public static final String TRAINER_GROUP = "trainer-service";
    /** The results service uses a fresh group per start and channel (it rebuilds from the beginning): this prefix. */
    public static final String RESULTS_SERVICE_GROUP_PREFIX = "results-service-";
    /**
     * Each dataset-service process reads {@code experiment-cancellations} whole at every start, in a group of its own:
     * this prefix and a fresh id.
     */
    public static final String DATASET_CANCELLATIONS_GROUP_PREFIX = "dataset-cancellations-";
    /** Each trainer reads {@code experiment-cancellations} whole at every start, in a group of its own: this prefix. */
    public static final String TRAINER_CANCELLATIONS_GROUP_PREFIX = "trainer-cancellations-";
    /** Read-only consumers (dashboards, notebooks, people) name their groups with this prefix. */
    public static final String VIEWER_GROUP_PREFIX = "viewer-";

    /** A Kafka user. {@link #userName()} is the SCRAM user name, the principal {@code User:<name>}. */
    public enum Identity {
        /**
         * Takes experiment requests, publishes POST /experiments, manifests, training jobs, cancellations and the
         * failure of an experiment it had accepted (ExperimentFailed on training-events).
         */
        DATASET_SERVICE("dataset-service"),
        /** Takes training jobs, publishes training events and the next attempt of a failed job. */
        TRAINER("trainer"),
        /** Reads jobs, events and manifests to build the leaderboards. */
        RESULTS_SERVICE("results-service"),
        /** People and pipelines that start experiments by publishing: may only write {@code experiments}. */
        TRIGGER("trigger"),
        /** Read-only consumers of progress and results. */
        VIEWER("viewer"),
        /** The trainer autoscaler (KEDA): reads the trainers' lag on {@code training-jobs}, nothing else. */
        AUTOSCALER("autoscaler");

        private final String userName;

        Identity(String userName) {
            this.userName = userName;
        }

        public String userName() {
            return userName;
        }

        public String principal() {
            return "User:" + userName;
        }

        public List<Grant> grants() {
            return GRANTS.stream().filter(g -> g.identity() == this).toList();
        }

        public static Identity byUserName(String userName) {
            return Arrays.stream(values())
                    .filter(i -> i.userName.equals(userName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown Kafka identity '" + userName + "'; known: "
                            + Arrays.stream(values()).map(Identity::userName).toList()));
        }
    }

    /** Kafka's resource types that the lab grants on (names as Kafka's {@code ResourceType}). */
    public enum ResourceType {
        TOPIC,
        GROUP
    }

    /** How a grant's resource name matches (names as Kafka's {@code PatternType}). */
    public enum PatternType {
        LITERAL,
        PREFIXED
    }

    /**
     * Kafka's operations that the lab grants (names as Kafka's {@code AclOperation}); READ and WRITE imply DESCRIBE.
     */
    public enum Operation {
        READ,
        WRITE,
        DESCRIBE
    }

    /** One allow rule: {@code identity} may {@code operation} on the resource. */
    public record Grant(
            Identity identity,
            ResourceType resourceType,
            String resourceName,
            PatternType patternType,
            Operation operation) {}

    private static final List<Grant> GRANTS = table();

    private KafkaAccess() {}

    /** Every grant of the lab; nothing else is allowed. */
    public static List<Grant> grants() {
        return GRANTS;
    }

    private static List<Grant> table() {
        List<Grant> grants = new ArrayList<>();
        // dataset-service: consumes requests, republishes POST /experiments, fans out manifests and jobs, publishes
        // DELETE /experiments/{id} and reads every cancellation (its own group per start).
        topic(grants, Identity.DATASET_SERVICE, Topic.EXPERIMENTS, Operation.READ, Operation.WRITE);
        topic(grants, Identity.DATASET_SERVICE, Topic.EXPERIMENTS_DLQ, Operation.WRITE);
        topic(grants, Identity.DATASET_SERVICE, Topic.DATASET_MANIFESTS, Operation.WRITE);
        topic(grants, Identity.DATASET_SERVICE, Topic.TRAINING_JOBS, Operation.WRITE);
        topic(grants, Identity.DATASET_SERVICE, Topic.EXPERIMENT_CANCELLATIONS, Operation.READ, Operation.WRITE);
        // ExperimentFailed: a request it accepted and then could not carry out, where the results service reads it
        topic(grants, Identity.DATASET_SERVICE, Topic.TRAINING_EVENTS, Operation.WRITE);
        group(grants, Identity.DATASET_SERVICE, DATASET_SERVICE_GROUP, PatternType.LITERAL, Operation.READ);
        group(
                grants,
                Identity.DATASET_SERVICE,
                DATASET_CANCELLATIONS_GROUP_PREFIX,
                PatternType.PREFIXED,
                Operation.READ);
        // trainer: one job at a time from the shared group, events out, bad jobs to their DLQ, a failed attempt's
        // retry back to training-jobs, every cancellation (its own group per start).
        topic(grants, Identity.TRAINER, Topic.TRAINING_JOBS, Operation.READ, Operation.WRITE);
        topic(grants, Identity.TRAINER, Topic.TRAINING_JOBS_DLQ, Operation.WRITE);
        topic(grants, Identity.TRAINER, Topic.TRAINING_EVENTS, Operation.WRITE);
        topic(grants, Identity.TRAINER, Topic.EXPERIMENT_CANCELLATIONS, Operation.READ);
        group(grants, Identity.TRAINER, TRAINER_GROUP, PatternType.LITERAL, Operation.READ);
        group(grants, Identity.TRAINER, TRAINER_CANCELLATIONS_GROUP_PREFIX, PatternType.PREFIXED, Operation.READ);
        // results-service: reads everything that feeds a leaderboard; owns the dead letters of what it dead-letters
        // (writes the copies, and reads its dead-letter topics so that a rebuild does not copy a message twice).
        topic(grants, Identity.RESULTS_SERVICE, Topic.TRAINING_EVENTS, Operation.READ);
        topic(grants, Identity.RESULTS_SERVICE, Topic.TRAINING_JOBS, Operation.READ);
        topic(grants, Identity.RESULTS_SERVICE, Topic.DATASET_MANIFESTS, Operation.READ);
        topic(grants, Identity.RESULTS_SERVICE, Topic.EXPERIMENT_CANCELLATIONS, Operation.READ);
        topic(grants, Identity.RESULTS_SERVICE, Topic.TRAINING_EVENTS_DLQ, Operation.READ, Operation.WRITE);
        topic(grants, Identity.RESULTS_SERVICE, Topic.DATASET_MANIFESTS_DLQ, Operation.READ, Operation.WRITE);
        topic(grants, Identity.RESULTS_SERVICE, Topic.EXPERIMENT_CANCELLATIONS_DLQ, Operation.READ, Operation.WRITE);
        group(grants, Identity.RESULTS_SERVICE, RESULTS_SERVICE_GROUP_PREFIX, PatternType.PREFIXED, Operation.READ);
        // trigger: starts experiments, nothing else (no read, not even of its own topic).
        topic(grants, Identity.TRIGGER, Topic.EXPERIMENTS, Operation.WRITE);
        // viewer: follows progress and results.
        topic(grants, Identity.VIEWER, Topic.TRAINING_EVENTS, Operation.READ);
        topic(grants, Identity.VIEWER, Topic.DATASET_MANIFESTS, Operation.READ);
        group(grants, Identity.VIEWER, VIEWER_GROUP_PREFIX, PatternType.PREFIXED, Operation.READ);
        // autoscaler: the trainers' committed offsets and the log end offsets of training-jobs.
        topic(grants, Identity.AUTOSCALER, Topic.TRAINING_JOBS, Operation.DESCRIBE);
        group(grants, Identity.AUTOSCALER, TRAINER_GROUP, PatternType.LITERAL, Operation.DESCRIBE);
        return List.copyOf(grants);
    }

    private static void topic(List<Grant> grants, Identity identity, Topic topic, Operation... operations) {
        for (Operation operation : operations) {
            grants.add(new Grant(identity, ResourceType.TOPIC, topic.topicName(), PatternType.LITERAL, operation));
        }
    }

    private static void group(
            List<Grant> grants, Identity identity, String group, PatternType pattern, Operation operation) {
        grants.add(new Grant(identity, ResourceType.GROUP, group, pattern, operation));
    }
}
