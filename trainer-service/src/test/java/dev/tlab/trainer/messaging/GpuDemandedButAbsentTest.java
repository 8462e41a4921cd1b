package dev.tlab.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A trainer told to train on a GPU, on this machine without one: readiness is DOWN with the reason, the gauges say so,
 * and the job waiting on {@code training-jobs} is left for a replica that can train it (the trainer never joined the
 * consumer group).
 */
@QuarkusTest
@TestProfile(GpuDemandedButAbsentTest.GpuDemanded.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class GpuDemandedButAbsentTest {
    private static final String GROUP = "trainer-service";

    public static class GpuDemanded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlab.trainer.device", "gpu");
        }
    }

    @Test
    void readinessIsDownWithTheReasonAndNoJobIsTaken() throws Exception {
        TrainingJob job = FakeDatasetService.running()
                .job(
                        UUID.randomUUID(),
                        StrategySpec.named("freeze"),
                        HyperParameters.builder()
                                .epochs(1)
                                .trainBatchSize(16)
                                .evalBatchSize(32)
                                .imageSize(16)
                                .build(),
                        ModelSpec.trainerDefault());
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));

        JsonPath check = deviceCheckOnceProbed();
        assertEquals("DOWN", check.getString("status"));
        String reason = check.getString("data.reason");
        assertTrue(reason.contains("device 'gpu' was requested") && reason.contains("CPU build of libtorch"), reason);
        assertEquals("PyTorch", check.getString("data.engine"));
        assertEquals("2.7.1", check.getString("data.libtorchVersion"));
        assertEquals("cpu", check.getString("data.flavor"));
        assertEquals(0, check.getInt("data.gpuCount"));
        assertEquals("gpu", check.getString("data.requestedDevice"));

        given().get("/q/health/live").then().statusCode(200); // not restarted in a loop: the reason stays readable

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tl_trainer_engine_ready 0.0"), metrics);
        assertTrue(metrics.contains("tl_trainer_gpu_count 0.0"), metrics);
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("tl_trainer_engine_info{")
                                && l.contains("flavor=\"cpu\"")
                                && l.contains("requested_device=\"gpu\"")
                                && l.contains("device=\"none\"")),
                metrics);

        assertEquals(List.of(), membersOfTheTrainersGroup(), "the trainer must not hold partitions of training-jobs");
        assertTrue(eventsOf(job.jobId().toString()).isEmpty(), "the trainer must not start or fail the job");
        assertEquals(job.jobId().toString(), nextJobForTheGroup(), "the job waits for a replica that can train it");
    }

    /** The training-device check once the probe has finished (it says "probing" before). */
    private static JsonPath deviceCheckOnceProbed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            String body = given().get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .extract()
                    .asString();
            JsonPath check = JsonPath.from(body).setRoot("checks.find { it.name == 'training-device' }");
            String reason = check.getString("data.reason");
            if (reason != null && !reason.equals("probing the training engine")) {
                return check;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the training-device check never finished: " + body);
            }
            Thread.sleep(200);
        }
    }

    /** Members of the trainers' consumer group (none when the group does not even exist). */
    private static List<String> membersOfTheTrainersGroup() throws InterruptedException {
        try (Admin admin = Admin.create(TestKafka.clientConfig())) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups()
                    .get(GROUP)
                    .get();
            return group.members().stream().map(m -> m.clientId()).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every record on training-events up to its current end (no waiting): those about the job. */
    private static List<ConsumerRecord<String, String>> eventsOf(String jobId) {
        try (KafkaConsumer<String, String> consumer = consumer("reader-" + UUID.randomUUID())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.TRAINING_EVENTS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> about = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().contains(jobId)) {
                        about.add(r);
                    }
                });
            }
            return about;
        }
    }

    /** Reads training-jobs as a member of the trainers' group, as another replica would; the job's key. */
    private static String nextJobForTheGroup() {
        try (KafkaConsumer<String, String> consumer = consumer(GROUP)) {
            consumer.subscribe(List.of(Topic.TRAINING_JOBS.topicName()));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    return r.key();
                }
            }
            return null;
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.putAll(TestKafka.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
