package dev.tlab.dataset.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.tlab.contracts.EventCodec;
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
import org.junit.jupiter.api.Test;

/**
 * With the tokens set, POST /experiments needs the trigger token and the manifests and their data need the reader
 * token; neither token opens the other's door.
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
            return Map.of("tlab.dataset.trigger-token", TRIGGER_TOKEN, "tlab.dataset.reader-token", READER_TOKEN,
                    "tlab.dataset.results-url", "http://results:9/");
        }
    }

    static final String BODY = "{\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": 2},"
            + " \"strategies\": [\"full\"]}";

    @Test
    void missingOrWrongTokenIs401AndTheRightOneIsAccepted() {
        given().contentType(ContentType.JSON).body(BODY).post("/experiments")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("field", is("Authorization"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body(BODY).post("/experiments")
                .then().statusCode(401).body("reason", is("wrong bearer token"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + READER_TOKEN).body(BODY)
                .post("/experiments").then().statusCode(401).body("reason", is("wrong bearer token"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TRIGGER_TOKEN).body(BODY)
                .post("/experiments").then().statusCode(202)
                .body("watch", org.hamcrest.Matchers.startsWith("http://results:9/experiments/"));
    }

    @Test
    void manifestsAndTheirDataNeedTheReaderToken() {
        String experimentId = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TRIGGER_TOKEN)
                .body(BODY).post("/experiments").then().statusCode(202).extract().path("experimentId");
        String manifest = "/manifests/" + manifestOf(UUID.fromString(experimentId));

        for (String path : List.of("/manifests", manifest, manifest + "/train", manifest + "/test")) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .body("field", is("Authorization")).body("reason", containsString("tlab.dataset.reader-token"));
            given().header("Authorization", "Bearer " + TRIGGER_TOKEN).get(path)
                    .then().statusCode(401).body("reason", is("wrong bearer token"));
            given().header("Authorization", "Bearer " + READER_TOKEN).get(path).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + READER_TOKEN).get(manifest + "/train")
                .then().header(ManifestResource.SHA256_HEADER, org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
    }

    /** The manifest the service built for the experiment, as named by its published job. */
    private static String manifestOf(UUID experimentId) {
        String jobKey = TrainingJob.jobIdFor(experimentId, "full", 0).toString();
        return TestKafka.pollUntil(Topic.TRAINING_JOBS.topicName(),
                        records -> records.stream().anyMatch(r -> jobKey.equals(r.key())), Duration.ofSeconds(40))
                .stream().filter(r -> jobKey.equals(r.key())).findFirst()
                .map(r -> EventCodec.fromJson(r.value(), TrainingJob.class).manifestId())
                .orElseThrow(() -> new AssertionError("no job was published for experiment " + experimentId));
    }
}
