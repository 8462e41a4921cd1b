package dev.tlab.dataset.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentEvent;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.TestKafka;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the service under test published, read back from the real broker. */
final class PublishedEvents {
    static final Duration WAIT = Duration.ofSeconds(40);

    private PublishedEvents() {}

    static long countFor(List<ConsumerRecord<String, String>> records, UUID experimentId) {
        return records.stream()
                .filter(r -> r.value().contains(experimentId.toString()))
                .count();
    }

    /** The training-jobs records of one experiment, in publishing order, at least {@code n} of them. */
    static List<ConsumerRecord<String, String>> jobsOf(UUID experimentId, int n) {
        List<ConsumerRecord<String, String>> records =
                TestKafka.pollUntil(Topic.TRAINING_JOBS.topicName(), all -> countFor(all, experimentId) >= n, WAIT);
        List<ConsumerRecord<String, String>> mine = records.stream()
                .filter(r -> EventCodec.fromJson(r.value(), TrainingJob.class)
                        .experimentId()
                        .equals(experimentId))
                .sorted(Comparator.comparingLong(ConsumerRecord::timestamp))
                .toList();
        assertEquals(n, mine.size(), "jobs of " + experimentId);
        return mine;
    }

    static ConsumerRecord<String, String> manifestRecord(String manifestId) {
        return TestKafka.pollUntil(
                        Topic.DATASET_MANIFESTS.topicName(),
                        records -> records.stream().anyMatch(r -> manifestId.equals(r.key())),
                        WAIT)
                .stream()
                .filter(r -> manifestId.equals(r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no manifest " + manifestId + " on dataset-manifests"));
    }

    /** The ExperimentFailed of an experiment on training-events, once it is there. */
    static ExperimentFailed failureOf(UUID experimentId) {
        String key = experimentId.toString();
        ConsumerRecord<String, String> record = TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS.topicName(),
                        records -> records.stream().anyMatch(r -> key.equals(r.key())),
                        WAIT)
                .stream()
                .filter(r -> key.equals(r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ExperimentFailed of " + key + " on training-events"));
        return (ExperimentFailed) EventCodec.fromJson(record.value(), ExperimentEvent.class);
    }

    /** The dead letter of the experiments message with this key, once it is there. */
    static Optional<ConsumerRecord<String, String>> deadLetter(String key) {
        return TestKafka.pollUntil(
                        Topic.EXPERIMENTS_DLQ.topicName(),
                        records -> records.stream().anyMatch(r -> key.equals(r.key())),
                        WAIT)
                .stream()
                .filter(r -> key.equals(r.key()))
                .findFirst();
    }
}
