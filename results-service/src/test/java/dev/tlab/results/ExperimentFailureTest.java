package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.messaging.DeadLetterCopy;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the dataset service reports on training-events besides the trainers' job events, and what no consumer may drop
 * unseen, through the real broker: an experiment it failed after accepting it shows as failed with the reason (JSON,
 * the list, the page), and a null value on training-events is dead-lettered with its reason, where one on a compacted
 * topic stays a tombstone.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ExperimentFailureTest {

    @Test
    void anExperimentThatFailedAfterItWasAcceptedShowsFailedWithItsReason() {
        UUID id = UUID.randomUUID();
        Instant requested = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String reason = "the dataset in /data/synthetic has changed since it was verified; restore its files";
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                id.toString(),
                EventCodec.toJson(ExperimentFailed.of(id, requested, "dataset", reason)));

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("failed"))
                        .body("failure.field", equalTo("dataset"))
                        .body("failure.reason", equalTo(reason))
                        .body("createdAt", equalTo(requested.toString()))
                        .body("leaderboard.state", equalTo("failed")));
        given().get("/experiments?size=100")
                .then()
                .statusCode(200)
                .body("items.find { it.experimentId == '" + id + "' }.state", equalTo("failed"));
        given().get("/experiments/{id}/view", id)
                .then()
                .statusCode(200)
                .body(containsString("failed-banner"))
                .body(containsString(reason));
    }

    @Test
    void jobsPublishedBeforeTheFailureStillShowWhileTheExperimentIsFailed() {
        Script s = new Script(UUID.randomUUID(), Instant.now());
        String id = s.experimentId().toString();
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), id, EventCodec.toJson(s.job("full", 0)));
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                id,
                EventCodec.toJson(ExperimentFailed.of(
                        s.experimentId(), Instant.now(), "$", "Kafka did not take the rest of the jobs")));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("failed"))
                        .body("strategies.find { it.strategy == 'full' }.state", equalTo("queued")));
    }

    @Test
    void aNullValueOnTrainingEventsIsDeadLetteredWhereACompactedTopicsIsATombstone() {
        String key = "null-" + UUID.randomUUID();
        TestKafka.sendBytes(Topic.TRAINING_EVENTS.topicName(), key.getBytes(StandardCharsets.UTF_8), null, List.of());
        String tombstone = "tombstone-" + UUID.randomUUID();
        TestKafka.sendBytes(
                Topic.EXPERIMENT_CANCELLATIONS.topicName(),
                tombstone.getBytes(StandardCharsets.UTF_8),
                null,
                List.of());
        // a cancellation after the tombstone on the same (single-partition) topic: once it shows, the tombstone was
        // read
        Script s = new Script(UUID.randomUUID(), Instant.now());
        TestKafka.send(
                Topic.EXPERIMENT_CANCELLATIONS.topicName(),
                s.experimentId().toString(),
                EventCodec.toJson(s.cancelled("after the tombstone")));

        String reason = TestKafka.header(
                TestKafka.pollUntil(
                                Topic.TRAINING_EVENTS_DLQ.topicName(),
                                all -> all.stream().anyMatch(r -> key.equals(r.key())),
                                Duration.ofSeconds(60))
                        .stream()
                        .filter(r -> key.equals(r.key()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("the null value was not dead-lettered")),
                DeadLetterCopy.REASON);
        assertTrue(reason.contains("null value on training-events, which is not compacted"), reason);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", s.experimentId())
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("cancelled")));
        assertTrue(
                TestKafka.readToEnd(Topic.EXPERIMENT_CANCELLATIONS_DLQ.topicName()).stream()
                        .noneMatch(r -> tombstone.equals(r.key())),
                "a tombstone on a compacted topic is no dead letter");
        String series = "tl_messages_refused_total{reason=\"null-value\",topic=\"training-events\"} ";
        List<String> lines = given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith(series))
                .toList();
        assertTrue(
                lines.size() == 1 && Double.parseDouble(lines.get(0).substring(series.length())) >= 1,
                "counted: " + lines);
    }
}
