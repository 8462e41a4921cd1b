package dev.tlab.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/**
 * The failure strategies against the real broker: whatever happens to the dead-letter copy, the message is acknowledged
 * (the consumer goes on) and the outcome counted.
 */
class SafeFailureHandlerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger acks = new AtomicInteger();

    @Test
    void aMessageIsCopiedOnceAndAcknowledged() {
        String source = Topic.EXPERIMENTS.topicName();
        SafeFailureHandler handler = new SafeFailureHandler(
                "experiments-in",
                Topic.EXPERIMENTS_DLQ.topicName(),
                TestKafka.clientConfig(),
                true,
                new DeadLetterMetrics(registry, source));
        byte[] key = ("once-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        IncomingKafkaRecord<byte[], byte[]> record = record(source, 987_654_321L, key, new byte[] {(byte) 0xff, 1});
        handle(handler, record);
        handle(handler, record); // a rebuild meets it again
        handler.terminate();

        assertEquals(2, acks.get());
        assertEquals(1.0, count(source, "copied"));
        assertEquals(1.0, count(source, "already-copied"));
        List<ConsumerRecord<byte[], byte[]>> copies = TestKafka.pollBytesUntil(
                        Topic.EXPERIMENTS_DLQ.topicName(),
                        all -> all.stream().anyMatch(r -> Arrays.equals(key, r.key())),
                        Duration.ofSeconds(60))
                .stream()
                .filter(r -> Arrays.equals(key, r.key()))
                .toList();
        assertEquals(1, copies.size());
        assertArrayEquals(new byte[] {(byte) 0xff, 1}, copies.get(0).value());
        assertEquals("987654321", TestKafka.header(copies.get(0), DeadLetterCopy.OFFSET));
    }

    /** A copy the broker refuses (here: a dead-letter topic with a tiny limit) is logged, counted and skipped. */
    @Test
    void aMessageThatCannotBeDeadLetteredIsCountedAndSkipped() throws Exception {
        String tiny = "tiny-dlq-" + UUID.randomUUID();
        try (Admin admin = Admin.create(TestKafka.clientConfig())) {
            admin.createTopics(List.of(new NewTopic(tiny, 1, (short) 1).configs(Map.of("max.message.bytes", "200"))))
                    .all()
                    .get();
        }
        String source = Topic.TRAINING_EVENTS.topicName();
        SafeFailureHandler handler = new SafeFailureHandler(
                "training-events", tiny, TestKafka.clientConfig(), false, new DeadLetterMetrics(registry, source));
        handle(handler, record(source, 5L, "k".getBytes(StandardCharsets.UTF_8), new byte[5_000]));
        handler.terminate();
        assertEquals(1, acks.get(), "acknowledged: the consumer goes on");
        assertEquals(1.0, count(source, "lost"));
    }

    /** A value refused before parsing is copied like any other, cut to fit, and counted by why it was refused. */
    @Test
    void aRefusedValueIsCopiedCutToFitAndCountedByItsReason() {
        String source = Topic.TRAINING_EVENTS.topicName();
        SafeFailureHandler handler = new SafeFailureHandler(
                "training-events",
                Topic.TRAINING_EVENTS_DLQ.topicName(),
                TestKafka.clientConfig(),
                false,
                new DeadLetterMetrics(registry, source));
        byte[] key = ("huge-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] huge = new byte[10 * 1024 * 1024];
        RefusedValueException refused =
                assertThrows(RefusedValueException.class, () -> IncomingValues.read(source, huge));
        handler.handle(record(source, 42L, key, huge), refused, Metadata.empty())
                .await()
                .atMost(Duration.ofSeconds(90));
        handler.terminate();

        assertEquals(1, acks.get());
        assertEquals(1.0, count(source, "truncated"));
        assertEquals(1.0, refusedCount(source, "oversize"));
        assertEquals(0.0, refusedCount(source, "null-value"));
        ConsumerRecord<byte[], byte[]> copy = TestKafka.pollBytesUntil(
                        Topic.TRAINING_EVENTS_DLQ.topicName(),
                        all -> all.stream().anyMatch(r -> Arrays.equals(key, r.key())),
                        Duration.ofSeconds(60))
                .stream()
                .filter(r -> Arrays.equals(key, r.key()))
                .findFirst()
                .orElseThrow();
        assertEquals("true", TestKafka.header(copy, DeadLetterCopy.TRUNCATED));
        assertEquals(Integer.toString(huge.length), TestKafka.header(copy, DeadLetterCopy.ORIGINAL_VALUE_BYTES));
        assertEquals(refused.getMessage(), TestKafka.header(copy, DeadLetterCopy.REASON));
    }

    @Test
    void theSkipStrategyOnlyCountsAndAcknowledges() {
        String source = Topic.TRAINING_JOBS.topicName();
        SafeFailureHandler handler = new SafeFailureHandler(
                "training-jobs", null, TestKafka.clientConfig(), false, new DeadLetterMetrics(registry, source));
        handle(handler, record(source, 1L, null, "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, acks.get());
        assertEquals(1.0, count(source, "skipped"));
    }

    private static void handle(SafeFailureHandler handler, IncomingKafkaRecord<byte[], byte[]> record) {
        Uni<Void> done = handler.handle(record, new IllegalArgumentException("eventId: is required"), Metadata.empty());
        done.await().atMost(Duration.ofSeconds(90)); // completes, never fails
    }

    private IncomingKafkaRecord<byte[], byte[]> record(String topic, long offset, byte[] key, byte[] value) {
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(
                topic,
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? 0 : key.length,
                value.length,
                key,
                value,
                new RecordHeaders(),
                java.util.Optional.empty());
        KafkaCommitHandler commits = new KafkaCommitHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> r) {
                acks.incrementAndGet();
                return Uni.createFrom().voidItem();
            }
        };
        return new IncomingKafkaRecord<>(consumed, "test", 0, commits, null, false, false);
    }

    private double refusedCount(String topic, String reason) {
        return registry.get(DeadLetterMetrics.REFUSED)
                .tag("topic", topic)
                .tag("reason", reason)
                .counter()
                .count();
    }

    private double count(String topic, String outcome) {
        return registry.get(DeadLetterMetrics.NAME)
                .tag("topic", topic)
                .tag("outcome", outcome)
                .counter()
                .count();
    }
}
