package dev.tlab.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Another member joins the trainers' group while the trainer runs a job whose partition the cooperative-sticky assignor
 * then moves to the newcomer: the trainer stops the job at its next batch before it lets the partition go, keeps its
 * checkpoint, reports no failure, and leaves its offset uncommitted, so the newcomer receives the job's record. When
 * the newcomer leaves without doing anything, the partition comes back and the trainer resumes the job after its last
 * completed epoch: every epoch reported exactly once, one JobCompleted, no JobFailed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class RevocationTest {
    private static final int EPOCHS = 40;
    private static final String GROUP = "trainer-service";
    private static final String TOPIC = Topic.TRAINING_JOBS.topicName();

    @Test
    void aJobWhosePartitionIsRevokedStopsAtABatchKeepsItsCheckpointAndResumesOnItsNextOwner() throws Exception {
        // the trainer owns every partition; AbstractStickyAssignor leaves it the lowest-numbered half when a second
        // member joins (kafka-clients 4.1), so a job in the upper half is the one whose partition moves
        int partitions = Topic.TRAINING_JOBS.partitions();
        UUID experiment = experimentWhoseJobIsInPartitionAtLeast((partitions + 1) / 2, partitions);
        TrainingJob job = FakeDatasetService.running()
                .job(
                        experiment,
                        StrategySpec.named("full"),
                        HyperParameters.builder()
                                .epochs(EPOCHS)
                                .trainBatchSize(16)
                                .evalBatchSize(16)
                                .imageSize(32)
                                .build(),
                        ModelSpec.trainerDefault());
        String jobId = job.jobId().toString();
        TopicPartition jobPartition = new TopicPartition(TOPIC, partitionOf(jobId, partitions));
        TestKafka.send(TOPIC, jobId, EventCodec.toJson(job));
        JobEvents.until(experiment, all -> JobEvents.count(all, EpochCompleted.class) >= 1);

        List<TrainingEvent> beforeHandOver;
        try (KafkaConsumer<String, String> newcomer = member()) {
            newcomer.subscribe(List.of(TOPIC));
            ConsumerRecord<String, String> handedOver = receive(newcomer, jobId);
            assertTrue(newcomer.assignment().contains(jobPartition), "the job's partition moved to the newcomer");
            assertEquals(jobPartition.partition(), handedOver.partition());

            beforeHandOver = JobEvents.now(experiment);
            int completed = (int) JobEvents.count(beforeHandOver, EpochCompleted.class);
            assertTrue(completed < EPOCHS, "the job was still running when its partition moved: " + completed);
            assertEquals(0, JobEvents.count(beforeHandOver, JobFailed.class), "a revoked job is not a failed one");
            assertEquals(0, JobEvents.count(beforeHandOver, JobCompleted.class));
            Path checkpoints = checkpointFolder(job);
            assertTrue(
                    Files.isDirectory(checkpoints.resolve(String.format("epoch-%04d", completed))),
                    "the checkpoint of the last reported epoch stays for the next owner");
            assertFalse(Files.exists(checkpoints.resolve("finished")), "and is not marked finished");
            assertEquals(1.0, metric("tl_trainer_jobs_interrupted_total{reason=\"revoked\"}"));
            Thread.sleep(1_000);
            assertEquals(
                    beforeHandOver.size(),
                    JobEvents.now(experiment).size(),
                    "the trainer published nothing after it let the partition go");
        } // the newcomer leaves without committing: the partition and the job go back to the trainer

        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobCompleted.class) == 1);
        assertEquals(
                IntStream.rangeClosed(1, EPOCHS).boxed().toList(),
                events.stream()
                        .filter(EpochCompleted.class::isInstance)
                        .map(e -> ((EpochCompleted) e).epoch())
                        .toList(),
                "every epoch reported once");
        assertEquals(0, JobEvents.count(events, JobFailed.class));
        List<JobStarted> starts = events.stream()
                .filter(JobStarted.class::isInstance)
                .map(JobStarted.class::cast)
                .toList();
        assertEquals(2, starts.size(), "started, then resumed: " + starts);
        int stoppedAfter = (int) JobEvents.count(beforeHandOver, EpochCompleted.class);
        assertEquals(stoppedAfter + 1, starts.get(1).startEpoch(), "resumed after the last completed epoch");
        assertEquals(2, starts.get(1).job().attempt());
        assertEquals(0.0, metric("tl_trainer_jobs_failed_total"));
        assertEquals(0.0, metric("tl_trainer_jobs_retried_total"), "no retry budget spent");
    }

    private static UUID experimentWhoseJobIsInPartitionAtLeast(int lowest, int partitions) {
        while (true) {
            UUID experiment = UUID.randomUUID();
            if (partitionOf(TrainingJob.jobIdFor(experiment, "full", 0).toString(), partitions) >= lowest) {
                return experiment;
            }
        }
    }

    /** Kafka's default partitioner for a keyed record (BuiltInPartitioner.partitionForKey). */
    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Another trainer as the group sees it: same group, same assignor, commits nothing. */
    private static KafkaConsumer<String, String> member() {
        Properties props = new Properties();
        props.putAll(TestKafka.clientConfig());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "8000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static ConsumerRecord<String, String> receive(KafkaConsumer<String, String> consumer, String key) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (key.equals(r.key())) {
                    return r;
                }
            }
        }
        throw new AssertionError("the newcomer never received the job; it holds " + consumer.assignment());
    }

    private static Path checkpointFolder(TrainingJob job) {
        return Path.of(ConfigProvider.getConfig().getValue("tlab.trainer.checkpoint-dir", String.class))
                .resolve(job.jobId().toString());
    }

    private static double metric(String series) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in " + metrics));
    }
}
