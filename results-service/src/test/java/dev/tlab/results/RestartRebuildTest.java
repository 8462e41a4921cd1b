package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.results.testdata.Expected;
import dev.tlab.results.testdata.Produce;
import dev.tlab.results.testdata.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A (re)started service rebuilds the leaderboard from what is already on Kafka: the scenario's events for three
 * experiments are published <em>before</em> this Quarkus application starts (a test resource of its own profile, so
 * Quarkus starts a new application instance, with a new consumer group), and it must show exactly the same leaderboards
 * as the service that watched them arrive. The profile also lowers {@code tlab.results.metrics.max-experiments} to 2 to
 * check that older experiments lose their gauges.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(RestartRebuildTest.Restarted.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartRebuildTest {
    /** Far in the future so that these are the newest experiments whatever else the broker holds. */
    static final Instant BASE = Instant.parse("2100-01-01T00:00:00Z");

    static final List<UUID> SEEDED = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlab.results.metrics.max-experiments", "2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PublishedBeforeStart.class));
        }
    }

    /** Where the poison pills were written, and which of them an earlier start already copied to the DLQ. */
    static RecordMetadata hugePoison;

    static RecordMetadata copiedBefore;

    /**
     * Publishes the events before the application starts, with poison pills among them: one as large as the topic takes
     * (random bytes), and a malformed one that an earlier start of the service already dead-lettered.
     */
    public static class PublishedBeforeStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            for (int i = 0; i < SEEDED.size(); i++) {
                Produce.sendAll(Scenario.records(SEEDED.get(i), BASE.plus(Duration.ofDays(i))));
                if (i == 0) {
                    byte[] huge = new byte[Topic.MAX_MESSAGE_BYTES - 2_000];
                    new Random(1).nextBytes(huge);
                    hugePoison = TestKafka.sendBytes(
                            Topic.TRAINING_EVENTS.topicName(), "poison".getBytes(), huge, List.of());
                    copiedBefore = TestKafka.sendBytes(
                            Topic.TRAINING_EVENTS.topicName(), "poison".getBytes(), "{not json".getBytes(), List.of());
                    // as an earlier start of the service wrote it
                    TestKafka.sendBytes(
                            Topic.TRAINING_EVENTS_DLQ.topicName(),
                            "poison".getBytes(),
                            "{not json".getBytes(),
                            List.of(
                                    header("dead-letter-topic", copiedBefore.topic()),
                                    header("dead-letter-partition", Integer.toString(copiedBefore.partition())),
                                    header("dead-letter-offset", Long.toString(copiedBefore.offset()))));
                }
            }
            return Map.of();
        }

        @Override
        public void stop() {}
    }

    /**
     * Readiness waits for the rebuild: once /q/health/ready says UP, every experiment published before the start is
     * there, complete, in order (no await after it).
     */
    @Test
    @Order(1)
    void readyOnlyOnceTheRebuildHasCaughtUp() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.name", org.hamcrest.Matchers.hasItem("rebuild from Kafka")));
        for (UUID id : SEEDED) {
            Expected.all(id);
        }
        given().queryParam("size", 3)
                .get("/experiments")
                .then()
                .statusCode(200)
                .body(
                        "items.experimentId",
                        contains(
                                SEEDED.get(2).toString(),
                                SEEDED.get(1).toString(),
                                SEEDED.get(0).toString()));
    }

    /** A restart reads the poison pills again: it neither dies on them nor copies one the DLQ already holds. */
    @Test
    void aRestartSurvivesThePoisonPillsAndDoesNotCopyThemTwice() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (UUID id : SEEDED) {
                        Expected.all(id);
                    }
                });
        List<ConsumerRecord<byte[], byte[]>> dlq = TestKafka.pollBytesUntil(
                Topic.TRAINING_EVENTS_DLQ.topicName(),
                records -> copiesOf(records, hugePoison) >= 1,
                Duration.ofSeconds(60));
        assertEquals(1, copiesOf(dlq, hugePoison), "the oversized message is in the DLQ");
        assertEquals(
                1,
                copiesOf(
                        TestKafka.pollBytesUntil(
                                Topic.TRAINING_EVENTS_DLQ.topicName(), records -> false, Duration.ofSeconds(3)),
                        copiedBefore),
                "the one copied before is not copied again");
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static long copiesOf(List<ConsumerRecord<byte[], byte[]>> records, RecordMetadata original) {
        return records.stream()
                .filter(r -> original.topic().equals(TestKafka.header(r, "dead-letter-topic"))
                        && Integer.toString(original.partition()).equals(TestKafka.header(r, "dead-letter-partition"))
                        && Long.toString(original.offset()).equals(TestKafka.header(r, "dead-letter-offset")))
                .count();
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void leaderboardsAreRebuiltFromKafkaAfterAStart() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (UUID id : SEEDED) {
                        Expected.all(id);
                    }
                });
        for (UUID id : SEEDED) {
            Expected.details(id);
        }
        given().queryParam("size", 3)
                .get("/experiments")
                .then()
                .statusCode(200)
                .body(
                        "items.experimentId",
                        contains(
                                SEEDED.get(2).toString(),
                                SEEDED.get(1).toString(),
                                SEEDED.get(0).toString()));
    }

    @Test
    void onlyTheNewestExperimentsCarryPerExperimentGauges() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (UUID id : SEEDED) {
                        Expected.all(id);
                    }
                });
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (UUID kept : List.of(SEEDED.get(1), SEEDED.get(2))) {
            assertTrue(
                    metrics.contains("tl_strategy_test_accuracy{experiment=\"" + kept + "\",strategy=\"partial\"}"),
                    kept + " is among the 2 newest");
        }
        assertFalse(metrics.contains("experiment=\"" + SEEDED.get(0) + "\""), "the oldest lost its gauges");
        if (ResultsServiceTest.EXPERIMENT != null) {
            assertFalse(metrics.contains("experiment=\"" + ResultsServiceTest.EXPERIMENT + "\""));
        }
    }
}
