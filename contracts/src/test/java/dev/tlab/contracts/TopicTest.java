package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopicTest {
    @Test
    void everyWorkTopicHasADeadLetterTopic() {
        for (Topic topic : Topic.values()) {
            if (!topic.deadLetter()) {
                assertEquals(
                        topic.topicName() + "-dlq",
                        Topic.byName(topic.topicName() + "-dlq").topicName());
            }
        }
    }

    @Test
    void aDeadLetterTopicTakesTheLargestMessageOfItsTopicPlusHeadroomForTheReasons() {
        for (Topic topic : Topic.values()) {
            assertEquals(
                    Integer.toString(topic.maxMessageBytes()), topic.config().get("max.message.bytes"), topic.name());
            if (!topic.deadLetter()) {
                assertEquals(Topic.MAX_MESSAGE_BYTES, topic.maxMessageBytes(), topic.name());
                assertEquals(
                        topic.maxMessageBytes() + Topic.DEAD_LETTER_HEADROOM_BYTES,
                        topic.deadLetterTopic().maxMessageBytes(),
                        topic.name());
            }
        }
        assertTrue(Topic.DEAD_LETTER_HEADROOM_BYTES >= 16 * 1024, "reason headers are capped at a few KB each");
    }

    @Test
    void cancellationsAreCompactedAndKeptForever() {
        assertTrue(Topic.EXPERIMENT_CANCELLATIONS.compacted());
        assertEquals("-1", Topic.EXPERIMENT_CANCELLATIONS.config().get("retention.ms"));
    }

    @Test
    void manifestsAreCompactedAndEventsKeptForever() {
        assertEquals("compact", Topic.DATASET_MANIFESTS.config().get("cleanup.policy"));
        assertEquals("-1", Topic.TRAINING_EVENTS.config().get("retention.ms"));
        assertFalse(Topic.TRAINING_JOBS.compacted());
        assertTrue(Arrays.stream(Topic.values()).allMatch(t -> t.partitions() >= 1));
    }

    @Test
    void globsMatchWholeNamesWithLiteralDots() {
        assertTrue(NamePatterns.matches("layer4.*", "layer4.0.conv1.weight"));
        assertFalse(NamePatterns.matches("layer4.*", "layer40.weight"));
        assertFalse(NamePatterns.matches("fc.*", "xfc.weight"));
        assertTrue(NamePatterns.matches("*", "anything.at.all"));
        assertTrue(NamePatterns.matches("*.bias", "layer1.0.bn1.bias"));
    }
}
