package dev.tlab.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import dev.tlab.trainer.job.JobStopper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jobs through the real broker: the trainer consumes them, trains the small ResNet-18-shaped model with DJL on tiny
 * synthetic data fetched over HTTP, and publishes its events.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TrainingJobFlowTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    @RegisterExtension
    static final FakeDatasetService dataset = new FakeDatasetService();

    @Inject
    JobStopper stopper;

    @Test
    void everyStrategyRunsToJobCompletedWithItsEpochsInOrder() {
        UUID experiment = UUID.randomUUID();
        List<String> strategies = List.of("freeze", "partial", "full");
        strategies.forEach(s -> send(job(experiment, StrategySpec.named(s), ModelSpec.trainerDefault(), 2)));

        List<TrainingEvent> events = eventsOf(experiment, all -> count(all, JobCompleted.class) == 3);
        Map<String, Long> plannedTrainable = plan();
        for (String strategy : strategies) {
            List<TrainingEvent> own = events.stream().filter(e -> e.job().strategy().equals(strategy)).toList();
            assertEquals(List.of("JobStarted", "EpochCompleted", "EpochCompleted", "JobCompleted"),
                    own.stream().map(TrainingEvent::type).toList(), strategy);
            JobStarted started = (JobStarted) own.get(0);
            assertEquals(1, started.startEpoch());
            assertTrue(started.synthetic());
            assertEquals(List.of(1, 2), own.subList(1, 3).stream().map(e -> ((EpochCompleted) e).epoch()).toList());
            JobCompleted done = (JobCompleted) own.get(3);
            assertTrue(done.testAccuracy() >= 0 && done.testAccuracy() <= 1, "accuracy " + done.testAccuracy());
            assertEquals(plannedTrainable.get(strategy), done.trainableParameters(), strategy);
            assertEquals("cpu()", done.device());
        }
        assertTrue(plannedTrainable.get("freeze") < plannedTrainable.get("partial"));
        assertTrue(plannedTrainable.get("partial") < plannedTrainable.get("full"));
    }

    @Test
    void aJobWhoseModelIsMissingEndsInJobFailedWithTheReason() {
        UUID experiment = UUID.randomUUID();
        send(job(experiment, StrategySpec.named("partial"), ModelSpec.of("/nowhere/resnet18.pt"), 1));
        List<TrainingEvent> events = eventsOf(experiment, all -> count(all, JobFailed.class) == 1);
        JobFailed failed = (JobFailed) events.get(events.size() - 1);
        assertTrue(failed.reason().contains("/nowhere/resnet18.pt"), failed.reason());
        assertTrue(failed.reason().contains("export_resnet18.py"), "the reason says how to provide a model: " + failed.reason());
    }

    @Test
    void aMalformedJobGoesToTheDeadLetterTopicAndTheTrainerKeepsGoing() {
        String key = "malformed-" + UUID.randomUUID();
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), key, "{\"type\":\"TrainingJob\",\"jobId\":\"not-a-uuid\"}");
        List<ConsumerRecord<String, String>> dead = TestKafka.pollUntil(Topic.TRAINING_JOBS_DLQ.topicName(),
                records -> records.stream().anyMatch(r -> key.equals(r.key())), Duration.ofSeconds(60));
        ConsumerRecord<String, String> record = dead.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        String reason = TestKafka.header(record, Topic.DLQ_REASON_HEADER);
        assertNotNull(reason);
        assertTrue(reason.contains("jobId"), reason);

        UUID experiment = UUID.randomUUID();
        send(job(experiment, StrategySpec.named("freeze"), ModelSpec.trainerDefault(), 1));
        eventsOf(experiment, all -> count(all, JobCompleted.class) == 1);
    }

    @Test
    void aStoppedJobDeliveredAgainResumesAfterItsLastCompletedEpoch() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = job(experiment, StrategySpec.named("partial"), ModelSpec.trainerDefault(), 3);
        stopper.requestStopAfterEpoch(job.jobId(), 1);
        send(job);
        eventsOf(experiment, all -> all.stream().anyMatch(e -> e instanceof EpochCompleted ec && ec.epoch() == 1));

        send(job); // redelivered, as after a crash
        List<TrainingEvent> events = eventsOf(experiment, all -> count(all, JobCompleted.class) == 1);
        Map<Integer, List<String>> byAttempt = events.stream().collect(Collectors.groupingBy(e -> e.job().attempt(),
                Collectors.mapping(TrainingEvent::type, Collectors.toList())));
        assertEquals(List.of("JobStarted", "EpochCompleted"), byAttempt.get(1));
        assertEquals(List.of("JobStarted", "EpochCompleted", "EpochCompleted", "JobCompleted"), byAttempt.get(2));
        List<TrainingEvent> second = events.stream().filter(e -> e.job().attempt() == 2).toList();
        assertEquals(2, ((JobStarted) second.get(0)).startEpoch());
        assertEquals(List.of(2, 3), second.subList(1, 3).stream().map(e -> ((EpochCompleted) e).epoch()).toList());
        assertEquals(3, ((JobCompleted) second.get(3)).epochs());
    }

    @Test
    void metricsAndHealthAreExposed() {
        given().get("/q/health/live").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tl_trainer_jobs_active"), "jobs gauge missing");
        assertTrue(metrics.contains("tl_trainer_jobs_completed_total"), "completed counter missing");
    }

    private static Map<String, Long> plan() {
        List<Map<String, Object>> plans = given().contentType(ContentType.JSON).body("{}").post("/plan")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return plans.stream().collect(Collectors.toMap(p -> (String) p.get("strategy"),
                p -> ((Number) p.get("trainableParameters")).longValue()));
    }

    private static TrainingJob job(UUID experiment, StrategySpec strategy, ModelSpec model, int epochs) {
        return dataset.job(experiment, strategy,
                new HyperParameters(epochs, 16, 32, null, null, null, null, null, null, 16, null), model);
    }

    private static void send(TrainingJob job) {
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));
    }

    private static List<TrainingEvent> eventsOf(UUID experiment, Predicate<List<TrainingEvent>> done) {
        List<TrainingEvent> all = decode(TestKafka.pollUntil(Topic.TRAINING_EVENTS.topicName(),
                records -> done.test(decode(records, experiment)), JOB_TIMEOUT), experiment);
        assertTrue(done.test(all), "events of " + experiment + " so far: " + all.stream().map(TrainingEvent::type).toList());
        return all;
    }

    private static List<TrainingEvent> decode(List<ConsumerRecord<String, String>> records, UUID experiment) {
        return records.stream().filter(r -> experiment.toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class)).toList();
    }

    private static long count(List<TrainingEvent> events, Class<? extends TrainingEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }
}
