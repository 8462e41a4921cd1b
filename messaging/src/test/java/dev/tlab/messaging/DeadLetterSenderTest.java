package dev.tlab.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** Dead-letter copies against the real broker, whose topics carry the limits of {@link Topic}. */
class DeadLetterSenderTest {

    /**
     * The poison pill of issue 14: a message as large as its topic accepts. Its copy with the reason headers still fits
     * the dead-letter topic, and arrives byte for byte.
     */
    @Test
    void theLargestAcceptedMessageIsCopiedWholeToItsDeadLetterTopic() throws Exception {
        byte[] key = ("big-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        List<Header> headers = List.of(new RecordHeader("origin", new byte[] {(byte) 0xfe, 0x01}));
        byte[] value = DeadLetterCopyTest.randomBytes(
                Topic.MAX_MESSAGE_BYTES - DeadLetterCopy.size(key, new byte[0], headers), 11);
        TestKafka.sendBytes(Topic.TRAINING_EVENTS.topicName(), key, value, headers); // the topic takes it
        DeadLetterCopy copy = DeadLetterCopy.of(
                Topic.TRAINING_EVENTS_DLQ.topicName(),
                Topic.TRAINING_EVENTS_DLQ.maxMessageBytes(),
                new DeadLetterCopy.Original(Topic.TRAINING_EVENTS.topicName(), 0, 7L, key, value, headers),
                new IllegalArgumentException("r".repeat(50_000), new IllegalStateException("c".repeat(50_000))));
        assertFalse(copy.truncated());
        try (DeadLetterSender sender =
                new DeadLetterSender(TestKafka.clientConfig(), Topic.TRAINING_EVENTS_DLQ.maxMessageBytes(), "test")) {
            sender.send(copy.record()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        ConsumerRecord<byte[], byte[]> copied = find(Topic.TRAINING_EVENTS_DLQ.topicName(), key);
        assertArrayEquals(value, copied.value());
        assertArrayEquals(
                new byte[] {(byte) 0xfe, 0x01},
                copied.headers().lastHeader("origin").value());
        assertTrue(TestKafka.header(copied, DeadLetterCopy.REASON).startsWith("rrrr"));
    }

    @Test
    void aCopyTheBrokerRefusesFailsItsStageInsteadOfThrowing() {
        byte[] key = ("refused-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        // a copy sized for a larger limit than the topic has: the broker refuses it (RecordTooLargeException)
        DeadLetterCopy copy = DeadLetterCopy.of(
                Topic.TRAINING_JOBS.topicName(),
                2 * Topic.MAX_MESSAGE_BYTES,
                new DeadLetterCopy.Original(
                        "elsewhere", 0, 1L, key, new byte[Topic.MAX_MESSAGE_BYTES + 10_000], List.of()),
                new IllegalArgumentException("bad"));
        try (DeadLetterSender sender =
                new DeadLetterSender(TestKafka.clientConfig(), 2 * Topic.MAX_MESSAGE_BYTES, "test")) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> sender.send(copy.record()).toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertTrue(
                    e.getCause().getClass().getSimpleName().contains("TooLarge"),
                    e.getCause().toString());
        }
    }

    @Test
    void theLedgerKnowsWhichOriginalsADeadLetterTopicHolds() throws Exception {
        String dlq = Topic.DATASET_MANIFESTS_DLQ.topicName();
        long offset = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000);
        try (DeadLetterSender sender =
                new DeadLetterSender(TestKafka.clientConfig(), Topic.DATASET_MANIFESTS_DLQ.maxMessageBytes(), "test")) {
            sender.send(DeadLetterCopy.of(
                                    dlq,
                                    Topic.DATASET_MANIFESTS_DLQ.maxMessageBytes(),
                                    new DeadLetterCopy.Original(
                                            "dataset-manifests", 2, offset, null, new byte[] {1}, List.of()),
                                    new IllegalArgumentException("bad"))
                            .record())
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        }
        DeadLetterLedger ledger = DeadLetterLedger.read(TestKafka.clientConfig(), dlq);
        assertTrue(ledger.contains("dataset-manifests", 2, offset));
        assertFalse(ledger.contains("dataset-manifests", 2, offset + 1));
        assertFalse(ledger.contains("dataset-manifests", 1, offset));
    }

    private static ConsumerRecord<byte[], byte[]> find(String topic, byte[] key) {
        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.pollBytesUntil(
                topic,
                all -> all.stream().anyMatch(r -> java.util.Arrays.equals(key, r.key())),
                Duration.ofSeconds(60));
        return records.stream()
                .filter(r -> java.util.Arrays.equals(key, r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record with the key in " + topic));
    }

    static Map<String, Object> config() {
        return TestKafka.clientConfig();
    }
}
