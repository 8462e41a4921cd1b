package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.deadLetter;
import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.Topic;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Requests are bounded and strict, by the same rules on {@code POST /experiments} and on the {@code experiments} topic:
 * what REST refuses with 400 {field, reason}, the topic sends to experiments-dlq with reason "field: reason". Never a
 * 500 for bad input.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RequestRulesTest {
    private static final String SYNTHETIC = "\"dataset\": {\"name\": \"synthetic\"}, ";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/experiments")
    URL experiments;

    /** 300 strategies x 100 seeds x 1,000 epochs x 1,024 px in 12 KB: 30,000 jobs before there were limits. */
    static String thirtyThousandJobs() {
        String strategies = IntStream.range(0, 300)
                .mapToObj(i -> "{\"name\": \"s" + i + "\", \"trainable\": [\"fc.*\"]}")
                .collect(Collectors.joining(","));
        String seeds = IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return "{" + SYNTHETIC + "\"strategies\": [" + strategies + "], \"seeds\": [" + seeds + "],"
                + " \"hyperParameters\": {\"epochs\": 1000, \"imageSize\": 1024}}";
    }

    @Test
    void oneRequestCannotAskForUnboundedWork() {
        String body = thirtyThousandJobs();
        assertTrue(body.length() < 13_000, body.length() + " characters");
        reject(body, "strategies").then().body("reason", containsString("at most 16 strategies"));
        reject(
                "{" + SYNTHETIC + "\"seeds\": ["
                        + IntStream.range(0, 17).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]}",
                "seeds");
        reject(
                        "{" + SYNTHETIC + "\"strategies\": ["
                                + IntStream.range(0, 16)
                                        .mapToObj(i -> "{\"name\": \"s" + i + "\", \"trainable\": [\"fc.*\"]}")
                                        .collect(Collectors.joining(","))
                                + "], \"seeds\": [0, 1, 2, 3, 4]}",
                        "strategies")
                .then()
                .body("reason", containsString("= 80 jobs; at most 64"));
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"epochs\": 1000}}", "hyperParameters.epochs");
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"imageSize\": 1024}}", "hyperParameters.imageSize");
        reject(
                "{" + SYNTHETIC + "\"strategies\": [{\"name\": \"many\", \"trainable\": ["
                        + IntStream.range(0, 33)
                                .mapToObj(i -> "\"layer" + i + ".*\"")
                                .collect(Collectors.joining(",")) + "]}]}",
                "strategies[0].trainable");
        reject(
                        "{" + SYNTHETIC + "\"strategies\": [{\"name\": \"long\", \"trainable\": [\"fc.*\", \""
                                + "x".repeat(10_000) + "\"]}]}",
                        "strategies[0].trainable[1]")
                .then()
                .body("reason", containsString("at most 128 characters"));
        reject(
                "{" + SYNTHETIC + "\"hyperParameters\": {\"headPatterns\": [\"" + "f".repeat(129) + "\"]}}",
                "hyperParameters.headPatterns[0]");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        given().contentType(ContentType.JSON)
                .body("{" + SYNTHETIC + "\"strategies\": [{\"name\": \"big\"," + " \"trainable\": [\""
                        + "x".repeat(1 << 20) + "\"]}]}")
                .post("/experiments")
                .then()
                .statusCode(413);
    }

    @Test
    void requestsAreStrict() {
        reject("{" + SYNTHETIC + "\"epoch\": 1}", "epoch").then().body("reason", containsString("unknown field"));
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"epoch\": 1}}", "hyperParameters.epoch");
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"epochs\": 1.5}}", "hyperParameters.epochs")
                .then()
                .body("reason", is("must be an integer, was 1.5"));
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"epochs\": \"2\"}}", "hyperParameters.epochs");
        reject("{" + SYNTHETIC + "\"strategies\": [null]}", "strategies[0]");
        reject("{" + SYNTHETIC + "\"seeds\": [null]}", "seeds[0]");
        reject("{" + SYNTHETIC + "\"seeds\": [0.5]}", "seeds[0]");
        reject("""
                {"experimentId": null, "dataset": {"name": null, "location": null},
                 "subset": {"name": null, "samplesPerClass": null, "seed": null}, "strategies": [null],
                 "hyperParameters": {"epochs": null, "trainBatchSize": null, "evalBatchSize": null,
                   "backboneLearningRate": null, "headLearningRate": null, "weightDecay": null, "beta1": null,
                   "beta2": null, "epsilon": null, "imageSize": null, "headPatterns": [null]},
                 "model": {"uri": null, "sha256": null}, "seeds": [null]}""", "hyperParameters.headPatterns[0]");
        reject(
                "{" + SYNTHETIC + "\"hyperParameters\": {\"headPatterns\": [\" \"]}}",
                "hyperParameters.headPatterns[0]");
        reject("{" + SYNTHETIC + "\"model\": {\"uri\": \"" + "m".repeat(3000) + "\"}}", "model.uri");
    }

    @Test
    void theTopicRefusesWhatRestRefusesWithTheSameReason() {
        List<String> bodies = List.of(
                "{" + SYNTHETIC + "\"hyperParameters\": {\"epoch\": 1}}",
                "{" + SYNTHETIC + "\"hyperParameters\": {\"epochs\": 1.5}}",
                "{" + SYNTHETIC + "\"strategies\": [\"full\", null]}",
                "{" + SYNTHETIC + "\"seeds\": [null]}",
                thirtyThousandJobs(),
                "{" + SYNTHETIC + "\"hyperParameters\": {\"epochs\": 1000}}",
                "{" + SYNTHETIC + "\"strategies\": [{\"name\": \"glob\", \"trainable\": [\"" + "*".repeat(10_000)
                        + "\"]}]}",
                "{" + SYNTHETIC + "\"subset\": {\"samplesPerClass\": 31}}",
                "{" + SYNTHETIC + "\"strategies\": []}",
                "{" + SYNTHETIC + "\"seeds\": []}");
        for (String body : bodies) {
            Response rest = given().contentType(ContentType.JSON).body(body).post("/experiments");
            rest.then().statusCode(400);
            String expected =
                    rest.jsonPath().getString("field") + ": " + rest.jsonPath().getString("reason");

            UUID id = UUID.randomUUID();
            TestKafka.send(Topic.EXPERIMENTS.topicName(), id.toString(), asEvent(body, id));
            ConsumerRecord<String, String> dead = deadLetter(id.toString())
                    .orElseThrow(() -> new AssertionError("not dead-lettered: " + abbreviated(body)));
            assertEquals(expected, TestKafka.header(dead, Topic.DLQ_REASON_HEADER), abbreviated(body));
        }
    }

    @Test
    void anEmptyListIsRefusedNamingItsFieldWhereALeftOutOneTakesTheDefault() {
        reject("{" + SYNTHETIC + "\"strategies\": []}", "strategies")
                .then()
                .body("reason", containsString("must not be empty"));
        reject("{" + SYNTHETIC + "\"seeds\": []}", "seeds");
        reject("{" + SYNTHETIC + "\"hyperParameters\": {\"headPatterns\": []}}", "hyperParameters.headPatterns");
        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"experimentId\": \"" + id + "\", " + SYNTHETIC + "\"subset\": {\"samplesPerClass\": 2}}")
                .post("/experiments")
                .then()
                .statusCode(202);
        assertEquals(3, jobsOf(id, 3).size(), "the notebook's three strategies, one seed");
    }

    @Test
    void theNilUuidIsNoExperimentId() {
        String nil = "00000000-0000-0000-0000-000000000000";
        reject("{\"experimentId\": \"" + nil + "\", " + SYNTHETIC + "\"strategies\": [\"full\"]}", "experimentId")
                .then()
                .body("reason", containsString("nil UUID"));
        String key = "nil-" + UUID.randomUUID();
        TestKafka.send(
                Topic.EXPERIMENTS.topicName(),
                key,
                asEvent("{" + SYNTHETIC + "\"strategies\": [\"full\"]}", UUID.fromString(nil)));
        ConsumerRecord<String, String> dead = deadLetter(key).orElseThrow();
        assertTrue(
                TestKafka.header(dead, Topic.DLQ_REASON_HEADER).startsWith("experimentId: must not be the nil UUID"),
                TestKafka.header(dead, Topic.DLQ_REASON_HEADER));
    }

    @Test
    void aBodyMustBeDeclaredJson() throws Exception {
        String body = "{" + SYNTHETIC + "\"subset\": {\"samplesPerClass\": 2}, \"strategies\": [\"full\"]}";
        HttpResponse<String> undeclared = HTTP.send(
                HttpRequest.newBuilder(experiments.toURI())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, undeclared.statusCode(), undeclared.body());
        JsonNode error = EventCodec.mapper().readTree(undeclared.body());
        assertEquals("Content-Type", error.path("field").asText());
        assertEquals(
                "must be application/json (UTF-8), was missing",
                error.path("reason").asText());
        for (String type :
                List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1")) {
            given().contentType(type)
                    .body(body)
                    .post("/experiments")
                    .then()
                    .statusCode(415)
                    .contentType(ContentType.JSON)
                    .body("field", is("Content-Type"));
        }
        given().contentType("application/json; charset=UTF-8")
                .body(body)
                .post("/experiments")
                .then()
                .statusCode(202);
    }

    @Test
    void aValidRequestStillRuns() {
        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"experimentId\": \"" + id + "\", " + SYNTHETIC
                        + "\"subset\": {\"samplesPerClass\": 3}, \"strategies\": [\"full\"], \"seeds\": [0, 1]}")
                .post("/experiments")
                .then()
                .statusCode(202);
        assertEquals(2, jobsOf(id, 2).size());
    }

    /** The same request as the topic carries it: the submission plus the envelope. */
    private static String asEvent(String submission, UUID experimentId) {
        try {
            ObjectNode event = (ObjectNode) EventCodec.mapper().readTree(submission);
            event.put("eventId", UUID.randomUUID().toString());
            event.put("type", ExperimentRequested.TYPE);
            event.put("schemaVersion", ExperimentRequested.SCHEMA_VERSION);
            event.put("occurredAt", Instant.now().toString());
            event.put("experimentId", experimentId.toString());
            return event.toString();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Response reject(String body, String field) {
        Response response = given().contentType(ContentType.JSON).body(body).post("/experiments");
        response.then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", is(400))
                .body("field", is(field));
        return response;
    }

    private static String abbreviated(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
