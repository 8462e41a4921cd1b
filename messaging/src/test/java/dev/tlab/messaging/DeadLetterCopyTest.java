package dev.tlab.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class DeadLetterCopyTest {
    private static final byte[] KEY = "job-1".getBytes(StandardCharsets.UTF_8);
    private static final List<Header> HEADERS =
            List.of(new RecordHeader("traceparent", new byte[] {0, (byte) 0xff, 7}));

    @Test
    void aCopyKeepsKeyValueBytesAndHeadersAndSaysWhyAndWhereFrom() {
        byte[] value = randomBytes(1000, 1); // not UTF-8
        DeadLetterCopy copy = DeadLetterCopy.of(
                "training-jobs-dlq",
                Topic.TRAINING_JOBS_DLQ.maxMessageBytes(),
                new DeadLetterCopy.Original("training-jobs", 4, 42L, KEY, value, HEADERS),
                new IllegalArgumentException("jobId: is required", new RuntimeException("inner")));
        ProducerRecord<byte[], byte[]> record = copy.record();
        assertFalse(copy.truncated());
        assertEquals("training-jobs-dlq", record.topic());
        assertArrayEquals(KEY, record.key());
        assertArrayEquals(value, record.value());
        assertArrayEquals(
                HEADERS.get(0).value(),
                record.headers().lastHeader("traceparent").value());
        assertEquals("jobId: is required", header(record, DeadLetterCopy.REASON));
        assertEquals("inner", header(record, DeadLetterCopy.CAUSE));
        assertEquals(IllegalArgumentException.class.getName(), header(record, DeadLetterCopy.EXCEPTION));
        assertEquals("training-jobs", header(record, DeadLetterCopy.TOPIC));
        assertEquals("4", header(record, DeadLetterCopy.PARTITION));
        assertEquals("42", header(record, DeadLetterCopy.OFFSET));
        assertNull(record.headers().lastHeader(DeadLetterCopy.TRUNCATED));
    }

    @Test
    void theLargestMessageATopicAcceptsFitsWholeIntoItsDeadLetterTopicWithALongReason() {
        List<Header> headers = List.of(new RecordHeader("h", new byte[2000]));
        int valueBytes = Topic.MAX_MESSAGE_BYTES - DeadLetterCopy.size(KEY, new byte[0], headers);
        byte[] value = randomBytes(valueBytes, 2);
        assertTrue(
                DeadLetterCopy.size(KEY, value, headers) <= Topic.MAX_MESSAGE_BYTES + 8, "as large as the topic takes");
        DeadLetterCopy copy = DeadLetterCopy.of(
                "experiments-dlq",
                Topic.EXPERIMENTS_DLQ.maxMessageBytes(),
                new DeadLetterCopy.Original("experiments", 0, 1L, KEY, value, headers),
                new IllegalStateException("x".repeat(100_000)));
        assertFalse(copy.truncated());
        assertArrayEquals(value, copy.record().value());
        assertEquals(
                DeadLetterCopy.MAX_REASON_BYTES,
                header(copy.record(), DeadLetterCopy.REASON).length(),
                "the reason is cut so that it cannot eat the headroom");
    }

    @Test
    void aCopyThatCannotFitIsTruncatedWithTheOriginalsSizeAndDigest() {
        byte[] value = randomBytes(50_000, 3);
        int limit = 10_000;
        DeadLetterCopy copy = DeadLetterCopy.of(
                "dlq",
                limit,
                new DeadLetterCopy.Original("t", 0, 9L, KEY, value, HEADERS),
                new IllegalArgumentException("too odd"));
        ProducerRecord<byte[], byte[]> record = copy.record();
        assertTrue(copy.truncated());
        assertTrue(sizeOf(record) <= limit, "fits: " + sizeOf(record));
        assertTrue(record.value().length > limit / 2, "keeps as much of the value as fits: " + record.value().length);
        assertArrayEquals(Arrays.copyOf(value, record.value().length), record.value(), "a prefix of the original");
        assertArrayEquals(KEY, record.key());
        assertEquals("true", header(record, DeadLetterCopy.TRUNCATED));
        assertEquals("50000", header(record, DeadLetterCopy.ORIGINAL_VALUE_BYTES));
        assertEquals(DeadLetterCopy.sha256(value), header(record, DeadLetterCopy.ORIGINAL_VALUE_SHA256));
        assertEquals("too odd", header(record, DeadLetterCopy.REASON));
        assertArrayEquals(
                HEADERS.get(0).value(),
                record.headers().lastHeader("traceparent").value());
    }

    @Test
    void headersAndThenTheKeyAreDroppedOnlyWhenEvenTheyDoNotFit() {
        List<Header> huge = List.of(new RecordHeader("a", new byte[8000]), new RecordHeader("b", new byte[8000]));
        byte[] key = new byte[20_000];
        DeadLetterCopy copy = DeadLetterCopy.of(
                "dlq",
                10_000,
                new DeadLetterCopy.Original("t", 1, 2L, key, randomBytes(30_000, 4), huge),
                new IllegalArgumentException("bad"));
        ProducerRecord<byte[], byte[]> record = copy.record();
        assertTrue(sizeOf(record) <= 10_000);
        assertEquals("2", header(record, DeadLetterCopy.DROPPED_HEADERS));
        assertNull(record.headers().lastHeader("a"));
        assertNull(record.key());
        assertEquals(DeadLetterCopy.sha256(key), header(record, DeadLetterCopy.DROPPED_KEY_SHA256));
        assertEquals("bad", header(record, DeadLetterCopy.REASON));
    }

    @Test
    void reasonsAreCutAtACharacterBoundary() {
        assertEquals("ab", DeadLetterCopy.cut("ab", 10));
        assertEquals("a", DeadLetterCopy.cut("aé", 2), "é takes two bytes");
        assertEquals("", DeadLetterCopy.cut("€", 2));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0xc3; // an invalid UTF-8 sequence at the start
        bytes[Math.min(1, n - 1)] = (byte) 0x28;
        return bytes;
    }

    private static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        return DeadLetterCopy.size(
                record.key(), record.value(), List.of(record.headers().toArray()));
    }

    static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
