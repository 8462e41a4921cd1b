package dev.tlab.trainer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trainer without {@code tlab.trainer.plan-token} keeps {@code POST /plan} closed: never open on a network. */
@QuarkusTest
@TestProfile(PlanClosedTest.NoPlanToken.class)
@WithTestResource(KafkaBrokerResource.class)
class PlanClosedTest {

    public static class NoPlanToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlab.trainer.plan-token", "");
        }
    }

    @Test
    void everyRequestIsAnsweredServiceUnavailableNamingTheKey() {
        for (String authorization : new String[] {"", "Bearer ", "Bearer trainer-test-plan-token"}) {
            given().contentType(ContentType.JSON)
                    .header("Authorization", authorization)
                    .body("{}")
                    .post("/plan")
                    .then()
                    .statusCode(503)
                    .body("field", is("Authorization"))
                    .body("reason", containsString("tlab.trainer.plan-token is not set"));
        }
    }
}
