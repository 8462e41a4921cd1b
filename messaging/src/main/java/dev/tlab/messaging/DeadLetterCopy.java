package dev.tlab.messaging;

import dev.tlab.contracts.Topic;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The dead-letter copy of a record that could not be processed: its key, value bytes and headers exactly as they
 * arrived, plus headers that say why and where it came from. When the copy would not fit in {@code maxBytes} (the
 * dead-letter topic's limit, which normally leaves room for any original), the value is cut to what fits and the copy
 * says so, with the original's size and sha256; original headers and then the key are dropped only if even they do not
 * fit. The size is Kafka's own upper-bound estimate, the one its producer checks.
 */
public final class DeadLetterCopy {
    /** Why it failed (the exception's message) and, when there is one, its cause's message. */
    public static final String REASON = Topic.DLQ_REASON_HEADER;

    public static final String CAUSE = Topic.DLQ_CAUSE_HEADER;
    public static final String EXCEPTION = "dead-letter-exception-class-name";
    /** Where the original was: topic, partition, offset (also the key of a deduplicating ledger). */
    public static final String TOPIC = "dead-letter-topic";

    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Present ("true") only on a copy whose value was cut to fit. */
    public static final String TRUNCATED = "dead-letter-truncated";

    public static final String ORIGINAL_VALUE_BYTES = "dead-letter-original-value-bytes";
    public static final String ORIGINAL_VALUE_SHA256 = "dead-letter-original-value-sha256";
    /** How many original headers were left out (only when even the headers did not fit). */
    public static final String DROPPED_HEADERS = "dead-letter-dropped-headers";
    /** The sha256 of a key that was left out (only when even the key did not fit). */
    public static final String DROPPED_KEY_SHA256 = "dead-letter-dropped-key-sha256";

    /** Reason and cause texts are cut to this many UTF-8 bytes: together far below the topic's headroom. */
    static final int MAX_REASON_BYTES = 4_096;
    /** The estimate grows by a few bytes of varint when the value grows; keep this much spare. */
    private static final int SPARE_BYTES = 64;

    private final ProducerRecord<byte[], byte[]> record;
    private final boolean truncated;

    private DeadLetterCopy(ProducerRecord<byte[], byte[]> record, boolean truncated) {
        this.record = record;
        this.truncated = truncated;
    }

    /** Where a record came from, as it arrived. */
    public record Original(
            String topic, int partition, long offset, byte[] key, byte[] value, Iterable<Header> headers) {}

    public static DeadLetterCopy of(String deadLetterTopic, int maxBytes, Original original, Throwable failure) {
        List<Header> about = new ArrayList<>();
        about.add(text(REASON, reasonOf(failure)));
        Throwable cause = failure == null ? null : failure.getCause();
        if (cause != null && cause != failure) {
            about.add(text(CAUSE, messageOf(cause)));
        }
        about.add(text(EXCEPTION, failure == null ? "none" : failure.getClass().getName()));
        about.add(text(TOPIC, original.topic()));
        about.add(text(PARTITION, Integer.toString(original.partition())));
        about.add(text(OFFSET, Long.toString(original.offset())));
        List<Header> kept = new ArrayList<>();
        if (original.headers() != null) {
            original.headers().forEach(kept::add);
        }
        byte[] key = original.key();
        byte[] value = original.value();

        List<Header> all = concat(kept, about);
        if (size(key, value, all) <= maxBytes) {
            return new DeadLetterCopy(new ProducerRecord<>(deadLetterTopic, null, key, value, all), false);
        }
        List<Header> marks = new ArrayList<>(about);
        marks.add(text(TRUNCATED, "true"));
        marks.add(text(ORIGINAL_VALUE_BYTES, Integer.toString(value == null ? 0 : value.length)));
        marks.add(text(ORIGINAL_VALUE_SHA256, sha256(value)));
        all = concat(kept, marks);
        if (size(key, null, all) + SPARE_BYTES > maxBytes) {
            marks.add(text(DROPPED_HEADERS, Integer.toString(kept.size())));
            all = marks;
        }
        if (size(key, null, all) + SPARE_BYTES > maxBytes) {
            all.add(text(DROPPED_KEY_SHA256, sha256(key)));
            key = null;
        }
        int room = Math.max(0, maxBytes - size(key, null, all) - SPARE_BYTES);
        byte[] prefix = new byte[Math.min(room, value == null ? 0 : value.length)];
        if (value != null) {
            System.arraycopy(value, 0, prefix, 0, prefix.length);
        }
        return new DeadLetterCopy(new ProducerRecord<>(deadLetterTopic, null, key, prefix, all), true);
    }

    public ProducerRecord<byte[], byte[]> record() {
        return record;
    }

    /** True when the value was cut to fit (see the class comment). */
    public boolean truncated() {
        return truncated;
    }

    /** Kafka's upper-bound estimate of the record in a batch of its own, as its producer checks it. */
    public static int size(byte[] key, byte[] value, List<Header> headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, headers.toArray(Header[]::new));
    }

    /** The failure's message (its class name when it has none), cut to {@link #MAX_REASON_BYTES}. */
    public static String reasonOf(Throwable failure) {
        return failure == null ? "unknown failure" : messageOf(failure);
    }

    private static String messageOf(Throwable t) {
        String message = t.getMessage() == null || t.getMessage().isBlank()
                ? t.getClass().getName()
                : t.getMessage();
        return cut(message, MAX_REASON_BYTES);
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding has at most {@code maxBytes} bytes. */
    static String cut(String text, int maxBytes) {
        CharsetEncoder encoder = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(maxBytes);
        CharBuffer in = CharBuffer.wrap(text);
        encoder.encode(in, out, true);
        return in.hasRemaining() ? text.substring(0, in.position()) : text;
    }

    private static List<Header> concat(List<Header> first, List<Header> second) {
        List<Header> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
