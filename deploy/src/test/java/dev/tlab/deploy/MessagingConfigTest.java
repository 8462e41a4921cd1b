package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The services' Kafka channels agree with Topic.java and with each other: sizes (a producer refuses what the topic
 * would refuse; a consumer fetches the largest message at once), consumers that read raw bytes so that a dead-letter
 * copy is the original, a failure strategy that never stops a consumer, exactly one dead-letter owner per topic, and
 * the trainers' failover settings.
 */
class MessagingConfigTest {
    static final List<String> SERVICES = List.of("dataset-service", "trainer-service", "results-service");
    static final String BYTES = "org.apache.kafka.common.serialization.ByteArrayDeserializer";
    static final String EXACT_KEYS_BY_CONTENT = "org.apache.kafka.common.serialization.ByteBufferDeserializer";
    static final Pattern CHANNEL_TOPIC = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");

    record Channel(String service, String direction, String name, Topic topic, Properties props) {
        String get(String attribute) {
            return props.getProperty("mp.messaging." + direction + "." + name + "." + attribute);
        }

        @Override
        public String toString() {
            return service + " " + direction + " " + name;
        }
    }

    static List<Channel> channels() {
        List<Channel> channels = new ArrayList<>();
        for (String service : SERVICES) {
            Properties props = ServiceConfig.properties(service);
            for (String key : props.stringPropertyNames()) {
                Matcher m = CHANNEL_TOPIC.matcher(key);
                if (m.matches()) {
                    channels.add(new Channel(
                            service,
                            m.group(1),
                            m.group(2),
                            Topic.byName(props.getProperty(key).strip()),
                            props));
                }
            }
        }
        return channels;
    }

    @Test
    void everyChannelIsSizedByItsTopic() {
        List<Channel> channels = channels();
        assertTrue(channels.size() >= 10, "channels found: " + channels);
        for (Channel channel : channels) {
            String attribute =
                    channel.direction().equals("incoming") ? "max.partition.fetch.bytes" : "max.request.size";
            assertEquals(
                    Integer.toString(channel.topic().maxMessageBytes()),
                    channel.get(attribute),
                    channel + " " + attribute);
        }
    }

    @Test
    void everyConsumerReadsRawBytesAndNeverStopsOnABadMessage() {
        for (Channel channel : channels()) {
            if (!channel.direction().equals("incoming")) {
                continue;
            }
            assertEquals(
                    BYTES, channel.get("value.deserializer"), channel + ": a text deserializer would mangle bytes");
            // keys stay exact bytes too; a channel ordered by key needs them as ByteBuffer (equal by content)
            String keys = "key".equals(channel.get("throttled.ordered")) ? EXACT_KEYS_BY_CONTENT : BYTES;
            assertEquals(keys, channel.get("key.deserializer"), channel + " keys");
            String strategy = channel.get("failure-strategy");
            assertTrue(Set.of("tlab-dead-letter", "tlab-skip").contains(strategy), channel + ": " + strategy);
            if (strategy.equals("tlab-dead-letter")) {
                assertEquals(
                        channel.topic().deadLetterTopic().topicName(),
                        channel.get("dead-letter-queue.topic"),
                        channel.toString());
            }
        }
    }

    @Test
    void everyTopicThatIsReadHasExactlyOneDeadLetterOwner() {
        Map<Topic, List<Channel>> owners = new HashMap<>();
        Set<Topic> read = new java.util.HashSet<>();
        for (Channel channel : channels()) {
            if (channel.direction().equals("incoming")) {
                read.add(channel.topic());
                if ("tlab-dead-letter".equals(channel.get("failure-strategy"))) {
                    owners.computeIfAbsent(channel.topic(), t -> new ArrayList<>())
                            .add(channel);
                }
            }
        }
        assertFalse(read.isEmpty());
        for (Topic topic : read) {
            assertEquals(
                    1, owners.getOrDefault(topic, List.of()).size(), topic + " dead-lettered by " + owners.get(topic));
        }
    }

    /**
     * What each channel does is granted to the service's Kafka identity (KafkaAccess, which the brokers, the KafkaUsers
     * and compose apply): reading its topic in its consumer group (a fresh id per start where the group ends in
     * ${quarkus.uuid}), writing its topic, writing the dead letters it owns and, where it skips copies made before a
     * restart, reading them back. A channel added without its grant would be refused by the broker at run time.
     */
    @Test
    void everyChannelIsGrantedToItsServicesKafkaIdentity() {
        List<String> missing = new ArrayList<>();
        for (Channel channel : channels()) {
            KafkaAccess.Identity identity =
                    KafkaAccess.Identity.byUserName(KafkaSecurityTest.IDENTITY_OF_SERVICE.get(channel.service()));
            if (channel.direction().equals("incoming")) {
                require(missing, channel, identity, channel.topic(), KafkaAccess.Operation.READ);
                String group = channel.get("group.id")
                        .strip()
                        .replace("${quarkus.uuid}", UUID.randomUUID().toString());
                boolean groupGranted = identity.grants().stream()
                        .anyMatch(g -> g.resourceType() == KafkaAccess.ResourceType.GROUP
                                && g.operation() == KafkaAccess.Operation.READ
                                && (g.patternType() == KafkaAccess.PatternType.LITERAL
                                        ? group.equals(g.resourceName())
                                        : group.startsWith(g.resourceName())));
                if (!groupGranted) {
                    missing.add(channel + ": group " + group);
                }
                if ("tlab-dead-letter".equals(channel.get("failure-strategy"))) {
                    Topic deadLetters = channel.topic().deadLetterTopic();
                    require(missing, channel, identity, deadLetters, KafkaAccess.Operation.WRITE);
                    if ("true".equals(channel.get("dead-letter-queue.deduplicate"))) {
                        require(missing, channel, identity, deadLetters, KafkaAccess.Operation.READ);
                    }
                }
            } else {
                require(missing, channel, identity, channel.topic(), KafkaAccess.Operation.WRITE);
            }
        }
        assertEquals(List.of(), missing, "not granted in KafkaAccess");
    }

    private static void require(
            List<String> missing,
            Channel channel,
            KafkaAccess.Identity identity,
            Topic topic,
            KafkaAccess.Operation operation) {
        boolean granted = identity.grants().stream()
                .anyMatch(g -> g.resourceType() == KafkaAccess.ResourceType.TOPIC
                        && g.patternType() == KafkaAccess.PatternType.LITERAL
                        && g.resourceName().equals(topic.topicName())
                        && g.operation() == operation);
        if (!granted) {
            missing.add(channel + ": " + operation + " " + topic.topicName() + " for " + identity.userName());
        }
    }

    /**
     * A dead trainer's job must resume on a live one within 15 s: the group notices after session.timeout.ms, then
     * rebalances. Heartbeats every third of the session; never below the broker's minimum session (6 s by default).
     */
    @Test
    void trainersNoticeADeadTrainerQuickly() {
        Properties trainer = ServiceConfig.properties("trainer-service");
        int session = Integer.parseInt(trainer.getProperty("mp.messaging.incoming.training-jobs.session.timeout.ms"));
        int heartbeat =
                Integer.parseInt(trainer.getProperty("mp.messaging.incoming.training-jobs.heartbeat.interval.ms"));
        assertTrue(session >= 6_000 && session <= 10_000, "session.timeout.ms " + session);
        assertTrue(heartbeat * 3 <= session, "heartbeat.interval.ms " + heartbeat);
    }
}
