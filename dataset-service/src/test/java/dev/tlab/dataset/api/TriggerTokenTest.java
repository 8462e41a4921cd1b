package dev.tlab.dataset.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With the tokens set, POST /experiments and DELETE /experiments/{id} need the trigger token and the manifests and
 * their data need the reader token; neither token opens the other's door.
 */
@QuarkusTest
@TestProfile(TriggerTokenTest.WithTokens.class)
@WithTestResource(KafkaBrokerResource.class)
class TriggerTokenTest {
    static final String TRIGGER_TOKEN = "s3cret";
    static final String READER_TOKEN = "r3ader";

    public static class WithTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tlab.dataset.trigger-token",
                    TRIGGER_TOKEN,
                    "tlab.dataset.reader-token",
                    READER_TOKEN,
                    "tlab.dataset.results-url",
                    "http://results:9/");
        }
    }

    static final String BODY = "{\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": 2},"
            + " \"strategies\": [\"full\"]}";

    @Test
    void missingOrWrongTokenIs401AndTheRightOneIsAccepted() {
        given().contentType(ContentType.JSON)
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("field", is("Authorization"));
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer wrong")
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(401)
                .body("reason", is("wrong bearer token"));
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + READER_TOKEN)
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(401)
                .body("reason", is("wrong bearer token"));
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(202)
                .body("watch", org.hamcrest.Matchers.startsWith("http://results:9/experiments/"));
    }

    @Test
    void manifestsAndTheirDataNeedTheReaderToken() {
        String experimentId = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(202)
                .extract()
                .path("experimentId");
        String manifest = "/manifests/" + manifestOf(UUID.fromString(experimentId));

        for (String path : List.of("/manifests", manifest, manifest + "/train", manifest + "/test")) {
            given().get(path)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("field", is("Authorization"))
                    .body("reason", containsString("tlab.dataset.reader-token"));
            given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                    .get(path)
                    .then()
                    .statusCode(401)
                    .body("reason", is("wrong bearer token"));
            given().header("Authorization", "Bearer " + READER_TOKEN)
                    .get(path)
                    .then()
                    .statusCode(200);
        }
        given().header("Authorization", "Bearer " + READER_TOKEN)
                .get(manifest + "/train")
                .then()
                .header(ManifestResource.SHA256_HEADER, org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
    }

    /** The manifest the service built for the experiment, as named by its published job. */
    private static String manifestOf(UUID experimentId) {
        String jobKey = TrainingJob.jobIdFor(experimentId, "full", 0).toString();
        return TestKafka.pollUntil(
                        Topic.TRAINING_JOBS.topicName(),
                        records -> records.stream().anyMatch(r -> jobKey.equals(r.key())),
                        Duration.ofSeconds(40))
                .stream()
                .filter(r -> jobKey.equals(r.key()))
                .findFirst()
                .map(r -> EventCodec.fromJson(r.value(), TrainingJob.class).manifestId())
                .orElseThrow(() -> new AssertionError("no job was published for experiment " + experimentId));
    }
    /**
     * DELETE /experiments/{id}: token-protected like POST; publishes ExperimentCancelled once (a second DELETE changes
     * nothing); answers 404 for an experiment it never saw and 400 for an id that is not one.
     */
    @Test
    void anAcceptedExperimentIsCancelledOnceWithTheToken() {
        String id = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .body(BODY)
                .post("/experiments")
                .then()
                .statusCode(202)
                .extract()
                .path("experimentId");
        given().delete("/experiments/" + id).then().statusCode(401).body("field", is("Authorization"));
        given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .queryParam("reason", "wrong dataset")
                .delete("/experiments/" + id)
                .then()
                .statusCode(202)
                .body("experimentId", is(id))
                .body("alreadyCancelled", is(false))
                .body("reason", is("wrong dataset"));
        given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .delete("/experiments/" + id)
                .then()
                .statusCode(202)
                .body("alreadyCancelled", is(true))
                .body("reason", is("wrong dataset"));

        List<ConsumerRecord<String, String>> cancellations = TestKafka.pollUntil(
                Topic.EXPERIMENT_CANCELLATIONS.topicName(),
                records -> records.stream().anyMatch(r -> id.equals(r.key())),
                Duration.ofSeconds(30));
        List<ExperimentCancelled> mine = TestKafka.readToEnd(Topic.EXPERIMENT_CANCELLATIONS.topicName()).stream()
                .filter(r -> id.equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), ExperimentCancelled.class))
                .toList();
        assertEquals(1, mine.size(), "published once: " + mine + " " + cancellations.size());
        assertEquals("wrong dataset", mine.get(0).reason());

        given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .delete("/experiments/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("field", is("experimentId"));
        given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .delete("/experiments/not-an-id")
                .then()
                .statusCode(400)
                .body("field", is("experimentId"));
        given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .queryParam("reason", "x".repeat(501))
                .delete("/experiments/" + id)
                .then()
                .statusCode(202); // already cancelled: the first reason stays
    }

    /**
     * A cancellation published by another replica reaches this one through the topic: a request for that experiment
     * that arrives afterwards publishes no job, while the next experiment goes through.
     */
    @Test
    void noJobOfAnExperimentCancelledElsewhereIsPublished() throws InterruptedException {
        UUID cancelled = UUID.randomUUID();
        TestKafka.send(
                Topic.EXPERIMENT_CANCELLATIONS.topicName(),
                cancelled.toString(),
                EventCodec.toJson(ExperimentCancelled.of(cancelled, "cancelled on another replica")));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (given().header("Authorization", "Bearer " + TRIGGER_TOKEN)
                        .delete("/experiments/" + cancelled)
                        .statusCode()
                != 202) {
            assertTrue(System.nanoTime() < deadline, "the replica never learned of the cancellation");
            Thread.sleep(200);
        }
        UUID next = UUID.randomUUID();
        for (UUID id : List.of(cancelled, next)) {
            TestKafka.send(
                    Topic.EXPERIMENTS.topicName(),
                    id.toString(),
                    EventCodec.toJson(ExperimentRequested.create(
                            id,
                            DatasetSpec.of(DatasetSpec.SYNTHETIC),
                            new SubsetPolicy(null, 2, null),
                            List.of(StrategySpec.named("full")),
                            null,
                            null,
                            null)));
        }
        List<ConsumerRecord<String, String>> jobs = TestKafka.pollUntil(
                Topic.TRAINING_JOBS.topicName(),
                records -> records.stream().anyMatch(r -> r.value().contains(next.toString())),
                Duration.ofSeconds(40));
        assertTrue(
                jobs.stream().anyMatch(r -> r.value().contains(next.toString())), "the next experiment goes through");
        assertTrue(
                jobs.stream().noneMatch(r -> r.value().contains(cancelled.toString())),
                "no job of the cancelled experiment");
    }
}
