package dev.tlab.trainer.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.ChannelRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Once a job left the device unusable, the trainer says so where Kubernetes looks: liveness DOWN with the reason (the
 * pod is restarted, and with it the CUDA context), readiness DOWN, and it takes no more jobs.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DeviceFaultHealthTest {
    private static final String REASON =
            "the job failed with a CUDA error: CUDA error: an illegal memory access was encountered";

    @Inject
    TrainingDeviceGate gate;

    @Inject
    ChannelRegistry channels;

    @Test
    void aDeviceFaultTurnsLivenessDownWithTheReasonAndTheTrainerTakesNoMoreJobs() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the trainer never became ready");
            Thread.sleep(200);
        }
        given().get("/q/health/live").then().statusCode(200);
        assertTrue(!channels.getPausable("training-jobs").isPaused(), "it takes jobs");

        gate.fault(REASON);

        JsonPath live = JsonPath.from(
                given().get("/q/health/live").then().statusCode(503).extract().asString());
        live.setRoot("checks.find { it.name == 'training-device' }");
        assertEquals("DOWN", live.getString("status"));
        assertEquals(REASON, live.getString("data.reason"));
        JsonPath ready = JsonPath.from(
                given().get("/q/health/ready").then().statusCode(503).extract().asString());
        ready.setRoot("checks.find { it.name == 'training-device' }");
        assertEquals(REASON, ready.getString("data.reason"));
        assertTrue(channels.getPausable("training-jobs").isPaused(), "no more jobs for this trainer");
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tl_trainer_engine_ready 0.0"), metrics);
    }
}
