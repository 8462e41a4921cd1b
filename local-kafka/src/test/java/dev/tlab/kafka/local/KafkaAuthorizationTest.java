package dev.tlab.kafka.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.KafkaAccess.Identity;
import dev.tlab.contracts.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker with authentication, over real connections: who is refused, what the trigger and the trainer may not
 * do, and that every identity can do exactly what {@link KafkaAccess} grants (produce, read, its consumer groups).
 */
class KafkaAuthorizationTest {
    @TempDir
    static Path temp;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(
                BrokerProcess.Options.authenticated(
                        temp.resolve("kafka"), temp.resolve("secrets/kafka-users.properties")),
                Duration.ofSeconds(120));
        System.out.println("authenticated local Kafka broker started in "
                + broker.startTime().toMillis() + " ms");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordIsRefused() throws Exception {
        long before = endOffset(Topic.EXPERIMENTS);
        Map<String, Object> anonymous = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers()));
        Throwable noCredentials = produce(anonymous, Topic.EXPERIMENTS);
        // refused at the login, before any ACL is consulted: the broker drops the connection, the client gives up
        assertInstanceOf(
                org.apache.kafka.common.errors.TimeoutException.class,
                noCredentials,
                "a client without credentials must not get in");

        Map<String, Object> wrongPassword = client(Identity.TRIGGER);
        wrongPassword.put("sasl.jaas.config", KafkaUsers.jaasConfig(Identity.TRIGGER.userName(), "not-the-password"));
        assertInstanceOf(SaslAuthenticationException.class, produce(wrongPassword, Topic.EXPERIMENTS));
        Map<String, Object> unknownUser = client(Identity.TRIGGER);
        unknownUser.put("sasl.jaas.config", KafkaUsers.jaasConfig("mallory", "anything"));
        assertInstanceOf(SaslAuthenticationException.class, produce(unknownUser, Topic.EXPERIMENTS));
        assertEquals(before, endOffset(Topic.EXPERIMENTS), "nothing reached the topic");
    }

    @Test
    void theTriggerUserMayPublishExperimentsAndNothingElse() {
        assertNull(produce(client(Identity.TRIGGER), Topic.EXPERIMENTS), "trigger publishes an experiment");
        assertInstanceOf(TopicAuthorizationException.class, produce(client(Identity.TRIGGER), Topic.TRAINING_JOBS));
        assertInstanceOf(TopicAuthorizationException.class, produce(client(Identity.TRIGGER), Topic.TRAINING_EVENTS));
        assertInstanceOf(TopicAuthorizationException.class, read(client(Identity.TRIGGER), Topic.TRAINING_EVENTS));
    }

    @Test
    void aTrainersCredentialsCannotStartExperiments() {
        assertInstanceOf(TopicAuthorizationException.class, produce(client(Identity.TRAINER), Topic.EXPERIMENTS));
        assertNull(produce(client(Identity.TRAINER), Topic.TRAINING_EVENTS), "but it publishes its events");
    }

    /**
     * Every identity against every topic, both ways: allowed exactly where the access model grants it. (An identity
     * that may write nowhere is already stopped at the idempotent producer's id: a cluster authorization error.)
     */
    @Test
    void theBrokerEnforcesExactlyTheAccessModelOnTopics() {
        List<String> mismatches = new ArrayList<>();
        for (Identity identity : Identity.values()) {
            try (var producer = producer(client(identity))) {
                for (Topic topic : Topic.values()) {
                    check(mismatches, identity, topic, KafkaAccess.Operation.WRITE, produce(producer, topic));
                    check(mismatches, identity, topic, KafkaAccess.Operation.READ, read(client(identity), topic));
                }
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** The services' real consumer groups: each joins its own and commits; another's group is refused. */
    @Test
    void eachServiceConsumesWithItsOwnGroupOnly() {
        assertNull(consumeInGroup(Identity.DATASET_SERVICE, KafkaAccess.DATASET_SERVICE_GROUP, Topic.EXPERIMENTS));
        assertNull(consumeInGroup(Identity.TRAINER, KafkaAccess.TRAINER_GROUP, Topic.TRAINING_JOBS));
        for (Topic topic : List.of(Topic.TRAINING_EVENTS, Topic.TRAINING_JOBS, Topic.DATASET_MANIFESTS)) {
            assertNull(
                    consumeInGroup(
                            Identity.RESULTS_SERVICE,
                            KafkaAccess.RESULTS_SERVICE_GROUP_PREFIX + "events-" + UUID.randomUUID(),
                            topic),
                    topic.topicName());
        }
        assertNull(consumeInGroup(
                Identity.VIEWER, KafkaAccess.VIEWER_GROUP_PREFIX + UUID.randomUUID(), Topic.TRAINING_EVENTS));
        // every dataset-service, trainer and results-service process reads the cancellations in a group of its own
        assertNull(consumeInGroup(
                Identity.DATASET_SERVICE,
                KafkaAccess.DATASET_CANCELLATIONS_GROUP_PREFIX + UUID.randomUUID(),
                Topic.EXPERIMENT_CANCELLATIONS));
        assertNull(consumeInGroup(
                Identity.TRAINER,
                KafkaAccess.TRAINER_CANCELLATIONS_GROUP_PREFIX + UUID.randomUUID(),
                Topic.EXPERIMENT_CANCELLATIONS));
        assertNull(consumeInGroup(
                Identity.RESULTS_SERVICE,
                KafkaAccess.RESULTS_SERVICE_GROUP_PREFIX + "cancellations-" + UUID.randomUUID(),
                Topic.EXPERIMENT_CANCELLATIONS));

        assertInstanceOf(
                GroupAuthorizationException.class,
                consumeInGroup(Identity.TRAINER, KafkaAccess.DATASET_SERVICE_GROUP, Topic.TRAINING_JOBS));
        assertInstanceOf(
                GroupAuthorizationException.class,
                consumeInGroup(Identity.RESULTS_SERVICE, KafkaAccess.TRAINER_GROUP, Topic.TRAINING_JOBS));
        assertInstanceOf(
                GroupAuthorizationException.class,
                consumeInGroup(Identity.VIEWER, "results-service-borrowed", Topic.TRAINING_EVENTS));
        assertInstanceOf(
                GroupAuthorizationException.class,
                consumeInGroup(
                        Identity.TRAINER,
                        KafkaAccess.DATASET_CANCELLATIONS_GROUP_PREFIX + UUID.randomUUID(),
                        Topic.EXPERIMENT_CANCELLATIONS));
    }

    @Test
    void theAutoscalerSeesTheTrainersLagAndNothingElse() throws Exception {
        TopicPartition jobs = new TopicPartition(Topic.TRAINING_JOBS.topicName(), 0);
        try (Admin autoscaler = Admin.create(client(Identity.AUTOSCALER))) {
            autoscaler
                    .listConsumerGroupOffsets(KafkaAccess.TRAINER_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            autoscaler.listOffsets(Map.of(jobs, OffsetSpec.latest())).all().get();
            ExecutionException otherGroup = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> autoscaler
                            .listConsumerGroupOffsets(KafkaAccess.DATASET_SERVICE_GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get());
            assertInstanceOf(GroupAuthorizationException.class, otherGroup.getCause());
        }
    }

    private static void check(
            List<String> mismatches,
            Identity identity,
            Topic topic,
            KafkaAccess.Operation operation,
            Throwable outcome) {
        boolean granted = KafkaAccess.grants().stream()
                .anyMatch(g -> g.identity() == identity
                        && g.resourceType() == KafkaAccess.ResourceType.TOPIC
                        && g.resourceName().equals(topic.topicName())
                        && g.operation() == operation);
        if (granted && outcome != null) {
            mismatches.add(identity.userName() + " may " + operation + " " + topic.topicName() + " but got " + outcome);
        } else if (!granted && !refusedByAuthorization(outcome)) {
            mismatches.add(identity.userName() + " must not " + operation + " " + topic.topicName() + " but got "
                    + (outcome == null ? "through" : outcome));
        }
    }

    /** A producer refused its id stays failed; its later sends report that, with the refusal as the cause. */
    private static boolean refusedByAuthorization(Throwable outcome) {
        for (Throwable t = outcome; t != null; t = t.getCause()) {
            if (t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> client(Identity identity) {
        return new HashMap<>(broker.clientConfig(identity.userName()));
    }

    /** Null when the record was acknowledged, else why not. */
    private static Throwable produce(Map<String, Object> client, Topic topic) {
        try (var producer = producer(client)) {
            return produce(producer, topic);
        }
    }

    /** A refused producer gives up after a few seconds (an unauthenticated one never hears why). */
    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Throwable produce(KafkaProducer<String, String> producer, Topic topic) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), "k", "authorization test"))
                    .get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Null when a fetch from the topic went through (without a group), else why not. */
    private static Throwable read(Map<String, Object> client, Topic topic) {
        try (var consumer = new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic.topicName(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            consumer.poll(Duration.ofSeconds(1));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Null when the identity joined the group, was assigned the topic and committed its position, else why not. */
    private static Throwable consumeInGroup(Identity identity, String group, Topic topic) {
        Map<String, Object> config = client(identity);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            if (consumer.assignment().isEmpty()) {
                return new IllegalStateException(identity.userName() + " was never assigned " + topic.topicName());
            }
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            consumer.assignment().forEach(p -> positions.put(p, new OffsetAndMetadata(consumer.position(p))));
            consumer.commitSync(positions);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static long endOffset(Topic topic) throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig(KafkaUsers.ADMIN))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < topic.partitions(); p++) {
                latest.put(new TopicPartition(topic.topicName(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }
}
