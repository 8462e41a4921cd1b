package dev.tlab.kafka.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker over a real connection: produce/consume, restart on the same folder, rotation, compaction, topics. */
class LocalKafkaBrokerTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    /**
     * With authentication, as the lab runs it: the admin user and ACLs survive a restart, and a new password rotates.
     */
    @Test
    void producesAndConsumesAndKeepsMessagesAcrossARestartAndRotatesAPassword() throws Exception {
        Path data = temp.resolve("kafka");
        Path usersFile = temp.resolve("secrets/kafka-users.properties");
        BrokerProcess.Options options = BrokerProcess.Options.authenticated(data, usersFile);
        String oldTriggerPassword;
        try (BrokerProcess broker = BrokerProcess.start(options, START_TIMEOUT)) {
            System.out.println("local Kafka broker (SASL/SCRAM) started in "
                    + broker.startTime().toMillis() + " ms");
            Map<String, Object> admin = broker.clientConfig(KafkaUsers.ADMIN);
            send(admin, "experiments", "e-1", "before restart");
            assertEquals(List.of("before restart"), values(consume(admin, "experiments", 1)));
            assertTopicsFromContracts(admin);
            oldTriggerPassword = broker.users().orElseThrow().password(KafkaAccess.Identity.TRIGGER.userName());
            // as a folder from an older build would have it: a topic whose settings differ from Topic.java's
            setTopicConfig(admin, Topic.TRAINING_JOBS, "max.message.bytes", "5000");
        }
        rotate(usersFile, KafkaAccess.Identity.TRIGGER.userName(), "rotated-" + Secrets.newSecret());
        try (BrokerProcess restarted = BrokerProcess.start(options, START_TIMEOUT)) {
            System.out.println("local Kafka broker restarted on the same folder in "
                    + restarted.startTime().toMillis() + " ms");
            assertEquals(
                    Integer.toString(Topic.TRAINING_JOBS.maxMessageBytes()),
                    topicConfig(restarted.clientConfig(KafkaUsers.ADMIN), Topic.TRAINING_JOBS, "max.message.bytes"),
                    "a restart sets existing topics to Topic.java's settings");
            String trigger = KafkaAccess.Identity.TRIGGER.userName();
            send(restarted.clientConfig(trigger), "experiments", "e-2", "after restart");
            assertEquals(
                    List.of("before restart", "after restart"),
                    values(consume(restarted.clientConfig(KafkaUsers.ADMIN), "experiments", 2)));
            Map<String, Object> oldPassword = new HashMap<>(restarted.clientConfig(trigger));
            oldPassword.put("sasl.jaas.config", KafkaUsers.jaasConfig(trigger, oldTriggerPassword));
            ExecutionException refused = assertThrows(
                    ExecutionException.class, () -> send(oldPassword, "experiments", "e-3", "with the old password"));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    /** A folder made before the broker required logins has no admin user: the start fails and says what to do. */
    @Test
    void aFolderFormattedWithoutAuthenticationIsRefusedWithWhatToDo() {
        Path data = temp.resolve("kafka");
        try (BrokerProcess plain = BrokerProcess.start(BrokerProcess.Options.plain(data), START_TIMEOUT)) {
            assertTrue(plain.users().isEmpty());
        }
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> BrokerProcess.start(
                        BrokerProcess.Options.authenticated(data, temp.resolve("kafka-users.properties")),
                        START_TIMEOUT));
        assertTrue(refused.getMessage().contains("Delete " + data.toAbsolutePath()), refused.getMessage());
    }

    @Test
    void compactedTopicKeepsTheLatestValuePerKey() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(temp.resolve("kafka"), START_TIMEOUT)) {
            assertTrue(broker.users().isEmpty(), "started without authentication");
            Map<String, Object> client = broker.clientConfig("anyone");
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic("compaction-check", 1, (short) 1)
                                .configs(Map.of(
                                        "cleanup.policy",
                                        "compact",
                                        "segment.ms",
                                        "100",
                                        "min.cleanable.dirty.ratio",
                                        "0.01",
                                        "delete.retention.ms",
                                        "100"))))
                        .all()
                        .get();
            }
            send(client, "compaction-check", "m-1", "first");
            send(client, "compaction-check", "m-2", "only");
            send(client, "compaction-check", "m-1", "latest");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<String, List<String>> byKey = Map.of();
            while (System.nanoTime() < deadline) {
                Thread.sleep(300);
                send(client, "compaction-check", "roll-" + UUID.randomUUID(), "rolls the active segment");
                byKey = byKey(consume(client, "compaction-check", 3));
                if (byKey.get("m-1").size() == 1) {
                    break;
                }
            }
            assertEquals(List.of("latest"), byKey.get("m-1"), "the older value of m-1 should be compacted away");
            assertEquals(List.of("only"), byKey.get("m-2"));
        }
    }

    private static void assertTopicsFromContracts(Map<String, Object> client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            Set<String> names = admin.listTopics().names().get();
            for (Topic topic : Topic.values()) {
                assertTrue(names.contains(topic.topicName()), "missing topic " + topic.topicName());
            }
            var manifests = admin.describeTopics(List.of(Topic.DATASET_MANIFESTS.topicName()))
                    .allTopicNames()
                    .get()
                    .get(Topic.DATASET_MANIFESTS.topicName());
            assertEquals(
                    Topic.DATASET_MANIFESTS.partitions(), manifests.partitions().size());
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topic.DATASET_MANIFESTS.topicName());
            assertEquals(
                    "compact",
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get("cleanup.policy")
                            .value());
            for (Topic topic : Topic.values()) {
                var config = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic.topicName());
                assertEquals(
                        Integer.toString(topic.maxMessageBytes()),
                        admin.describeConfigs(List.of(config))
                                .all()
                                .get()
                                .get(config)
                                .get("max.message.bytes")
                                .value(),
                        topic.topicName());
            }
        }
    }

    private static void setTopicConfig(Map<String, Object> client, Topic topic, String name, String value)
            throws Exception {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic.topicName());
        try (Admin admin = Admin.create(client)) {
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                    new org.apache.kafka.clients.admin.ConfigEntry(name, value),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        assertEquals(value, topicConfig(client, topic, name));
    }

    private static String topicConfig(Map<String, Object> client, Topic topic, String name) throws Exception {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic.topicName());
        try (Admin admin = Admin.create(client)) {
            return admin.describeConfigs(List.of(resource))
                    .all()
                    .get()
                    .get(resource)
                    .get(name)
                    .value();
        }
    }

    /** Writes a new password for {@code user} into the users file, as someone rotating it would. */
    private static void rotate(Path usersFile, String user, String password) throws Exception {
        Properties users = new Properties();
        try (var in = Files.newBufferedReader(usersFile)) {
            users.load(in);
        }
        users.setProperty(user, password);
        try (var out = Files.newBufferedWriter(usersFile)) {
            users.store(out, null);
        }
    }

    private static void send(Map<String, Object> client, String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Everything in the topic from the beginning, read with a fresh group until at least {@code atLeast} arrived. */
    private static List<ConsumerRecord<String, String>> consume(Map<String, Object> client, String topic, int atLeast) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int emptyPollsAfterEnough = 0;
            while (System.nanoTime() < deadline && emptyPollsAfterEnough < 2) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                if (records.size() >= atLeast && batch.isEmpty()) {
                    emptyPollsAfterEnough++;
                }
            }
        }
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Map<String, List<String>> byKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        records.forEach(
                r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        return byKey;
    }
}
