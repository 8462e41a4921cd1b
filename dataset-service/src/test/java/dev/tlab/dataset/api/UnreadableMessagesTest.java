package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.deadLetter;
import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.messaging.DeadLetterCopy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Values the consumer refuses before it parses them, through the real broker: one larger than the topic accepts once
 * decompressed (10 MB that gzip turns into a few KB, far below the 1 MiB the broker checks), and a null value on a
 * topic that is not compacted. Each ends in experiments-dlq with its reason and is counted; the consumer goes on.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class UnreadableMessagesTest {
    private static final int TEN_MB = 10 * 1024 * 1024;

    @Test
    void aValueOverTheLimitOnceDecompressedIsDeadLetteredUnparsedAndTheConsumerGoesOn() {
        UUID huge = UUID.randomUUID();
        // a valid request, padded with JSON whitespace: parsed, it would start an experiment
        String request = EventCodec.toJson(request(huge));
        byte[] value = Arrays.copyOf(request.getBytes(StandardCharsets.UTF_8), TEN_MB);
        Arrays.fill(value, request.length(), TEN_MB, (byte) ' ');
        RecordMetadata written = TestKafka.sendGzip(
                Topic.EXPERIMENTS.topicName(), huge.toString().getBytes(StandardCharsets.UTF_8), value);
        assertTrue(
                written.serializedValueSize() == TEN_MB, "the producer reports the value's own size, not the batch's");

        ConsumerRecord<String, String> dead = deadLetter(huge.toString()).orElseThrow();
        String reason = TestKafka.header(dead, DeadLetterCopy.REASON);
        assertTrue(reason.contains("value of " + TEN_MB + " bytes once decompressed"), reason);
        assertTrue(reason.endsWith("not parsed"), reason);
        assertEquals("true", TestKafka.header(dead, DeadLetterCopy.TRUNCATED));
        assertEquals(Integer.toString(TEN_MB), TestKafka.header(dead, DeadLetterCopy.ORIGINAL_VALUE_BYTES));

        UUID after = UUID.randomUUID();
        TestKafka.sendGzip(
                Topic.EXPERIMENTS.topicName(),
                after.toString().getBytes(StandardCharsets.UTF_8),
                EventCodec.toJson(request(after)).getBytes(StandardCharsets.UTF_8));
        assertEquals(1, jobsOf(after, 1).size(), "the next request is handled");
        assertTrue(
                TestKafka.readToEnd(Topic.TRAINING_JOBS.topicName()).stream()
                        .noneMatch(r -> r.value().contains(huge.toString())),
                "the oversized request was not parsed into an experiment");
        assertTrue(
                metric("tl_messages_refused_total{reason=\"oversize\",topic=\"experiments\"}") >= 1,
                "counted in tl_messages_refused_total");
    }

    @Test
    void aNullValueOnTheExperimentsTopicIsDeadLetteredWithItsReason() {
        String key = "null-" + UUID.randomUUID();
        TestKafka.sendBytes(Topic.EXPERIMENTS.topicName(), key.getBytes(StandardCharsets.UTF_8), null, List.of());

        ConsumerRecord<String, String> dead = deadLetter(key).orElseThrow();
        assertEquals(
                "$: null value on experiments, which is not compacted: it deletes nothing and carries no event",
                TestKafka.header(dead, DeadLetterCopy.REASON));
        assertTrue(metric("tl_messages_refused_total{reason=\"null-value\",topic=\"experiments\"}") >= 1);
    }

    private static ExperimentRequested request(UUID id) {
        return ExperimentRequested.create(
                id,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(null, 2, null),
                List.of(StrategySpec.named(StrategySpec.FULL)),
                null,
                null,
                null);
    }

    private static double metric(String series) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }
}
