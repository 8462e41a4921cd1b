package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.deadLetter;
import static dev.tlab.dataset.api.PublishedEvents.failureOf;
import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.dataset.testing.PlannerStandIn;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each request is admitted once, and the plan check (a trainer loads the model for it) is its costly part: counted here
 * on a real HTTP stand-in for the trainer's POST /plan, while the service runs its real flow through the broker. A
 * request refused after it was accepted ends as a visible ExperimentFailed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PlannerStandIn.class)
class AdmissionOnceTest {

    @Test
    void aRestRequestIsPlanCheckedOnceThoughTheTopicBringsItBack() {
        String strategy = "once-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"},"
                        + " \"subset\": {\"samplesPerClass\": 2},"
                        + " \"strategies\": [{\"name\": \"" + strategy + "\", \"trainable\": [\"fc.*\"]}]}")
                .post("/experiments")
                .then()
                .statusCode(202);

        assertEquals(1, jobsOf(id, 1).size(), "the listener read it back and published its job");
        List<PlannerStandIn.Call> calls = PlannerStandIn.callsMentioning(strategy);
        assertEquals(1, calls.size(), "plan checks of the REST request: " + calls);
        assertEquals("Bearer " + PlannerStandIn.TOKEN, calls.get(0).authorization());
    }

    @Test
    void aRequestThatArrivesOnTheTopicIsAdmittedThereFully() {
        String strategy = "direct-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        publish(id, strategy);

        assertEquals(1, jobsOf(id, 1).size());
        assertEquals(1, PlannerStandIn.callsMentioning(strategy).size());
    }

    @Test
    void aTopicRequestThePlannerRefusesEndsAsAVisibleFailureAndItsIdIsSpent() {
        String strategy = PlannerStandIn.REFUSED_PREFIX + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        publish(id, strategy);

        ExperimentFailed failed = failureOf(id);
        assertEquals("strategies[0].trainable[0]", failed.field());
        assertEquals(PlannerStandIn.REFUSAL, failed.reason());
        assertEquals(
                "strategies[0].trainable[0]: " + PlannerStandIn.REFUSAL,
                TestKafka.header(deadLetter(id.toString()).orElseThrow(), Topic.DLQ_REASON_HEADER),
                "the message itself still goes to the dead-letter topic");
        given().contentType(ContentType.JSON)
                .body("{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"}}")
                .post("/experiments")
                .then()
                .statusCode(409)
                .body("field", is("experimentId"))
                .body("reason", containsString("failed after it was accepted"));
    }

    private static void publish(UUID id, String strategy) {
        ExperimentRequested request = ExperimentRequested.create(
                id,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(null, 2, null),
                List.of(new StrategySpec(strategy, List.of("fc.*"))),
                null,
                null,
                null);
        TestKafka.send(Topic.EXPERIMENTS.topicName(), id.toString(), EventCodec.toJson(request));
    }
}
