package dev.tlab.messaging;

import dev.tlab.contracts.Topic;
import java.util.Optional;

/**
 * The first thing every consumer of this product does with a record's value, before anything parses it:
 *
 * <ul>
 *   <li>a value larger than its topic accepts ({@link Topic#maxMessageBytes()}) is refused. The topic's
 *       {@code max.message.bytes} bounds a record batch as it is stored, compressed; a gzip or zstd batch within it can
 *       hold a value a hundred times larger, which the Kafka consumer decompresses whole (Kafka 4.1's
 *       {@code DefaultRecord.readFrom} allocates each record's decompressed size at once; neither
 *       {@code max.partition.fetch.bytes}, {@code fetch.max.bytes} nor {@code check.crcs} look at it). Refusing it
 *       here, before a parser copies it into strings and trees, keeps its cost to the one buffer the client already
 *       made; its dead-letter copy is cut to fit, with the original's size and sha256 ({@link DeadLetterCopy}).
 *   <li>a null value on a compacted topic is a tombstone (the delete of its key) and there is nothing to read; on any
 *       other topic it deletes nothing and carries no event, so it is refused instead of being dropped unseen.
 * </ul>
 *
 * A refusal is a {@link RefusedValueException}: thrown from the consumer's method, it is dead-lettered (or skipped) by
 * the channel's failure strategy with this reason, and counted.
 */
public final class IncomingValues {
    private IncomingValues() {}

    /**
     * @param topicName the topic the record came from (one of {@link Topic})
     * @return the value, or empty for a tombstone on a compacted topic
     * @throws RefusedValueException for a null value on a topic that is not compacted, or a value over the topic's
     *     limit
     */
    public static Optional<byte[]> read(String topicName, byte[] value) {
        return read(Topic.byName(topicName), value);
    }

    public static Optional<byte[]> read(Topic topic, byte[] value) {
        if (value == null) {
            if (topic.compacted()) {
                return Optional.empty();
            }
            throw new RefusedValueException(
                    RefusedValueException.Kind.NULL_VALUE,
                    "null value on " + topic.topicName() + ", which is not compacted: it deletes nothing and carries"
                            + " no event");
        }
        if (value.length > topic.maxMessageBytes()) {
            throw new RefusedValueException(
                    RefusedValueException.Kind.OVERSIZE,
                    "value of " + value.length + " bytes once decompressed, more than " + topic.topicName()
                            + " accepts (max.message.bytes " + topic.maxMessageBytes() + "); not parsed");
        }
        return Optional.of(value);
    }
}
