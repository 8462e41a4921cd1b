package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.results.testdata.Expected;
import dev.tlab.results.testdata.Produce;
import dev.tlab.results.testdata.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A (re)started service rebuilds the leaderboard from what is already on Kafka: the scenario's events for three
 * experiments are published <em>before</em> this Quarkus application starts (a test resource of its own profile, so
 * Quarkus starts a new application instance, with a new consumer group), and it must show exactly the same
 * leaderboards as the service that watched them arrive. The profile also lowers
 * {@code tlab.results.metrics.max-experiments} to 2 to check that older experiments lose their gauges.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(RestartRebuildTest.Restarted.class)
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

    /** Publishes the events before the application starts. */
    public static class PublishedBeforeStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            for (int i = 0; i < SEEDED.size(); i++) {
                Produce.sendAll(Scenario.records(SEEDED.get(i), BASE.plus(Duration.ofDays(i))));
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void leaderboardsAreRebuiltFromKafkaAfterAStart() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (UUID id : SEEDED) {
                Expected.all(id);
            }
        });
        for (UUID id : SEEDED) {
            Expected.details(id);
        }
        given().queryParam("size", 3).get("/experiments").then().statusCode(200)
                .body("items.experimentId", contains(SEEDED.get(2).toString(), SEEDED.get(1).toString(),
                        SEEDED.get(0).toString()));
    }

    @Test
    void onlyTheNewestExperimentsCarryPerExperimentGauges() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (UUID id : SEEDED) {
                Expected.all(id);
            }
        });
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (UUID kept : List.of(SEEDED.get(1), SEEDED.get(2))) {
            assertTrue(metrics.contains("tl_strategy_test_accuracy{experiment=\"" + kept + "\",strategy=\"partial\"}"),
                    kept + " is among the 2 newest");
        }
        assertFalse(metrics.contains("experiment=\"" + SEEDED.get(0) + "\""), "the oldest lost its gauges");
        if (ResultsServiceTest.EXPERIMENT != null) {
            assertFalse(metrics.contains("experiment=\"" + ResultsServiceTest.EXPERIMENT + "\""));
        }
    }
}
