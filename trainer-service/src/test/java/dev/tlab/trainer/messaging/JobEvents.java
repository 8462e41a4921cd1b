package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.kafka.test.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One experiment's events on the test broker's training-events topic, decoded. */
final class JobEvents {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private JobEvents() {}

    /** Reads the topic until {@code done} holds for the experiment's events (failing when it never does). */
    static List<TrainingEvent> until(UUID experiment, Predicate<List<TrainingEvent>> done) {
        List<TrainingEvent> events = decode(
                TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS.topicName(), records -> done.test(decode(records, experiment)), TIMEOUT),
                experiment);
        assertTrue(
                done.test(events),
                "events of " + experiment + " so far: "
                        + events.stream().map(TrainingEvent::type).toList());
        return events;
    }

    /** The experiment's events on the topic now. */
    static List<TrainingEvent> now(UUID experiment) {
        return decode(TestKafka.readToEnd(Topic.TRAINING_EVENTS.topicName()), experiment);
    }

    static long count(List<TrainingEvent> events, Class<? extends TrainingEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    private static List<TrainingEvent> decode(List<ConsumerRecord<String, String>> records, UUID experiment) {
        return records.stream()
                .filter(r -> experiment.toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class))
                .toList();
    }
}
