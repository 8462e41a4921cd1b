package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The service consumes in batches (one per poll): a batch that mixes good and malformed records applies the good ones,
 * copies each bad one to the dead-letter topic on its own with its original bytes, headers and reason, and the consumer
 * goes on with what comes after.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BatchIngestTest {

    @Test
    void aBatchMixingGoodAndMalformedRecordsAppliesTheGoodOnesAndDeadLettersEachBadOne() throws Exception {
        Script s = new Script(UUID.randomUUID(), Instant.now());
        String key = s.experimentId().toString();
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), key, EventCodec.toJson(s.job("full", 0)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", s.experimentId())
                        .then()
                        .statusCode(200));

        byte[] notJson = ("{\"type\":\"EpochCompleted\", cut off " + key).getBytes(StandardCharsets.UTF_8);
        byte[] incomplete = ("{\"type\":\"EpochCompleted\",\"eventId\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        List<byte[]> values = List.of(
                bytes(s.started("full", 0, 1, 1, 3, "cifar-10", false)),
                bytes(s.epoch("full", 0, 1, 1, 3, 1.5, 0.4)),
                notJson,
                bytes(s.epoch("full", 0, 1, 2, 3, 1.2, 0.5)),
                incomplete,
                bytes(s.epoch("full", 0, 1, 3, 3, 0.9, 0.6)));
        List<RecordMetadata> written = sendAsOneProducerBatch(key, values);
        assertEquals(
                1, written.stream().map(RecordMetadata::partition).distinct().count(), "one partition");

        // every good record of the batch is applied, in order, the bad ones in between notwithstanding
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", s.experimentId())
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("running"))
                        .body("strategies[0].runs[0].epochsCompleted", equalTo(3)));

        // each bad record went on its own, exactly as it arrived, with its reason; no good record went along
        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.pollBytesUntil(
                        Topic.TRAINING_EVENTS_DLQ.topicName(),
                        records -> records.stream().filter(r -> isKey(r, key)).count() >= 2,
                        Duration.ofSeconds(30))
                .stream()
                .filter(r -> isKey(r, key))
                .toList();
        assertEquals(2, dead.size(), "only the two malformed records are dead-lettered");
        assertArrayEquals(notJson, dead.get(0).value());
        assertArrayEquals(incomplete, dead.get(1).value());
        assertArrayEquals(
                "batch".getBytes(StandardCharsets.UTF_8),
                dead.get(0).headers().lastHeader("origin").value());
        assertEquals(Long.toString(written.get(2).offset()), TestKafka.header(dead.get(0), "dead-letter-offset"));
        assertEquals(Long.toString(written.get(4).offset()), TestKafka.header(dead.get(1), "dead-letter-offset"));
        assertTrue(
                TestKafka.header(dead.get(0), Topic.DLQ_REASON_HEADER).contains("not valid JSON"),
                TestKafka.header(dead.get(0), Topic.DLQ_REASON_HEADER));

        // and the consumer goes on
        TestKafka.send(Topic.TRAINING_EVENTS.topicName(), key, EventCodec.toJson(s.completed("full", 0, 1, 0.7, 3)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", s.experimentId())
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("completed")));
    }

    private static byte[] bytes(Object event) {
        return EventCodec.toBytes(event);
    }

    private static boolean isKey(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8));
    }

    /**
     * Sends the values under one key without waiting in between, so that the producer puts them in one record batch (a
     * long linger, far below batch.size), and the broker hands a batch to a fetch whole: the service gets them in one
     * poll, hence one batch of its listener.
     */
    private static List<RecordMetadata> sendAsOneProducerBatch(String key, List<byte[]> values) throws Exception {
        Properties props = new Properties();
        props.putAll(TestKafka.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2_000);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                sent.add(producer.send(new ProducerRecord<>(
                        Topic.TRAINING_EVENTS.topicName(),
                        null,
                        key.getBytes(StandardCharsets.UTF_8),
                        value,
                        List.of(new RecordHeader("origin", "batch".getBytes(StandardCharsets.UTF_8))))));
            }
            producer.flush();
        }
        List<RecordMetadata> written = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            written.add(f.get());
        }
        return written;
    }
}
