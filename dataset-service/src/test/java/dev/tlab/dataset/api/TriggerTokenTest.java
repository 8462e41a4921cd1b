package dev.tlab.dataset.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With tlab.dataset.trigger-token set, POST /experiments needs the bearer token. */
@QuarkusTest
@TestProfile(TriggerTokenTest.WithToken.class)
@WithTestResource(KafkaBrokerResource.class)
class TriggerTokenTest {
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlab.dataset.trigger-token", "s3cret", "tlab.dataset.results-url", "http://results:9/");
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
        given().contentType(ContentType.JSON).header("Authorization", "Bearer s3cret").body(BODY).post("/experiments")
                .then().statusCode(202)
                .body("watch", org.hamcrest.Matchers.startsWith("http://results:9/experiments/"));
    }
}
