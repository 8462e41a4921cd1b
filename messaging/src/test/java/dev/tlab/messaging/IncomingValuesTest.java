package dev.tlab.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncomingValuesTest {
    @Test
    void aNullValueIsATombstoneOnlyWhereTheTopicIsCompacted() {
        assertEquals(Optional.empty(), IncomingValues.read(Topic.EXPERIMENT_CANCELLATIONS, null));
        assertEquals(Optional.empty(), IncomingValues.read("dataset-manifests", null));
        for (Topic topic : Topic.values()) {
            if (!topic.compacted()) {
                RefusedValueException e =
                        assertThrows(RefusedValueException.class, () -> IncomingValues.read(topic, null));
                assertEquals(RefusedValueException.Kind.NULL_VALUE, e.kind());
                assertTrue(e.reason().contains(topic.topicName() + ", which is not compacted"), e.reason());
            }
        }
    }

    @Test
    void aValueOverItsTopicsLimitIsRefusedAndOneAtTheLimitIsRead() {
        byte[] atLimit = new byte[Topic.TRAINING_EVENTS.maxMessageBytes()];
        assertArrayEquals(
                atLimit, IncomingValues.read(Topic.TRAINING_EVENTS, atLimit).orElseThrow());
        RefusedValueException e = assertThrows(
                RefusedValueException.class,
                () -> IncomingValues.read("training-events", new byte[Topic.MAX_MESSAGE_BYTES + 1]));
        assertEquals(RefusedValueException.Kind.OVERSIZE, e.kind());
        assertEquals("$", e.field());
        assertTrue(e.reason().contains("1048577 bytes once decompressed"), e.reason());
        assertTrue(e.reason().contains("max.message.bytes 1048576"), e.reason());
    }
}
