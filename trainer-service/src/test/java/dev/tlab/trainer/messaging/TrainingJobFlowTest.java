package dev.tlab.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCancelled;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.engine.ModelEvaluator;
import dev.tlab.trainer.engine.TrainingCancelledException;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.TrainingListener;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Jobs through the real broker: the trainer consumes them, trains the small ResNet-18-shaped model with DJL on tiny
 * synthetic data fetched over HTTP, and publishes its events.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class TrainingJobFlowTest {
    @Inject
    TrainingEngine engine;

    @Test
    void everyStrategyRunsToJobCompletedWithItsEpochsInOrder() throws Exception {
        UUID experiment = UUID.randomUUID();
        List<String> strategies = List.of("freeze", "partial", "full");
        // one job asks for bf16: the trainer says in its JobStarted that it runs it so
        List<TrainingJob> jobs = strategies.stream()
                .map(s -> job(
                        experiment,
                        StrategySpec.named(s),
                        ModelSpec.trainerDefault(),
                        2,
                        s.equals("partial") ? Precision.BF16 : null))
                .toList();
        jobs.forEach(TrainingJobFlowTest::send);

        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobCompleted.class) == 3);
        Map<String, Long> plannedTrainable = plan();
        for (String strategy : strategies) {
            List<TrainingEvent> own = events.stream()
                    .filter(e -> e.job().strategy().equals(strategy))
                    .toList();
            assertEquals(
                    List.of("JobStarted", "EpochCompleted", "EpochCompleted", "JobCompleted"),
                    own.stream().map(TrainingEvent::type).toList(),
                    strategy);
            JobStarted started = (JobStarted) own.get(0);
            assertEquals(1, started.startEpoch());
            assertTrue(started.synthetic());
            assertEquals(
                    List.of(1, 2),
                    own.subList(1, 3).stream()
                            .map(e -> ((EpochCompleted) e).epoch())
                            .toList());
            JobCompleted done = (JobCompleted) own.get(3);
            assertTrue(done.testAccuracy() >= 0 && done.testAccuracy() <= 1, "accuracy " + done.testAccuracy());
            assertEquals(plannedTrainable.get(strategy), done.trainableParameters(), strategy);
            assertEquals("cpu()", done.device());
        }
        assertTheRecordAndTheKeptModels(jobs, events);
        assertTrue(plannedTrainable.get("freeze") < plannedTrainable.get("partial"));
        assertTrue(plannedTrainable.get("partial") < plannedTrainable.get("full"));
        for (TrainingJob job : jobs) {
            awaitGone(checkpointFolder(job)); // tlab.trainer.checkpoint-retention=PT0S in tests
        }
    }

    /**
     * What tlab.trainer.channels-last=auto (the default) decides for this test's jobs on a CPU at 16 px: freeze (fp32)
     * and partial (bf16 here) run channels-last; full keeps the contiguous layout. A trainer-wide value fails.
     */
    private static String memoryFormatByAuto(TrainingJob job) {
        return job.strategy().name().equals("full") ? RunEnvironment.CONTIGUOUS : RunEnvironment.CHANNELS_LAST;
    }

    /**
     * Every completed job says when and with what it ran, and kept its fine-tuned model in the model store with its
     * digest; the kept file, loaded back in DJL, scores the reported accuracy on the same test images.
     */
    private static void assertTheRecordAndTheKeptModels(List<TrainingJob> jobs, List<TrainingEvent> events)
            throws Exception {
        Path store = Path.of(ConfigProvider.getConfig().getValue("tlab.trainer.model-store", String.class));
        for (TrainingJob job : jobs) {
            JobStarted started = (JobStarted) events.stream()
                    .filter(e -> e instanceof JobStarted && e.job().jobId().equals(job.jobId()))
                    .findFirst()
                    .orElseThrow();
            JobCompleted done = (JobCompleted) events.stream()
                    .filter(e -> e instanceof JobCompleted && e.job().jobId().equals(job.jobId()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(job.hyperParameters().precision(), started.precision(), "the precision it is trained in");
            for (RunEnvironment env : List.of(started.environment(), done.environment())) {
                assertNotNull(env, "the events say what ran the job");
                assertEquals(
                        memoryFormatByAuto(job), env.memoryFormat(), "the format this job ran in: " + job.strategy());
                assertEquals("PyTorch", env.engine());
                assertEquals("2.7.1", env.libtorchVersion());
                assertEquals("cpu", env.flavor());
                assertNotNull(env.djlVersion());
                assertNotNull(env.trainerVersion());
            }
            assertFalse(done.startedAt().isAfter(done.occurredAt()), done.startedAt() + " " + done.occurredAt());
            ModelArtifact model = done.model();
            assertNotNull(model, "a completed job keeps its model");
            assertEquals(job.experimentId() + "/" + job.jobId() + ".pt", model.path());
            Path file = store.resolve(model.path());
            assertEquals(model.sha256(), FakeDatasetService.sha256(Files.readAllBytes(file)));
            assertEquals(model.bytes(), Files.size(file));
            assertTrue(Files.readString(file.resolveSibling(job.jobId() + ".pt.sha256"))
                    .startsWith(model.sha256()));
            double again = ModelEvaluator.accuracy(
                    file,
                    FakeDatasetService.running().testRecords(),
                    job.hyperParameters().imageSize(),
                    job.hyperParameters().evalBatchSize(),
                    Device.cpu());
            assertEquals(
                    done.testAccuracy(),
                    again,
                    1e-12,
                    "the kept model of " + job.strategy().name() + " scores what was reported");
            assertTheEvaluationAndTheCost(job, done, store);
        }
    }

    /**
     * The final evaluation in JobCompleted: the manifest's class map, a confusion matrix that counts every test image
     * and whose diagonal is the test accuracy, calibration bins over every image, and the per-image predictions kept
     * next to the model with their digest, on the manifest's test set; and what the job cost.
     */
    private static void assertTheEvaluationAndTheCost(TrainingJob job, JobCompleted done, Path store) {
        CifarRecords test = FakeDatasetService.running().testRecords();
        Evaluation evaluation = done.evaluation();
        assertNotNull(evaluation, "a completed job reports its evaluation");
        assertEquals(
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList(),
                evaluation.classes(),
                "the manifest's class map");
        assertEquals(test.size(), evaluation.testImages());
        long counted = evaluation.confusionMatrix().stream()
                .flatMap(List::stream)
                .mapToLong(Long::longValue)
                .sum();
        assertEquals(test.size(), counted, "the matrix counts every test image");
        assertEquals(done.testAccuracy(), (double) evaluation.correct() / test.size(), 1e-12);
        assertEquals(test.size(), evaluation.calibration().total());

        PredictionsArtifact kept = evaluation.predictions();
        assertEquals(job.experimentId() + "/" + job.jobId() + ".predictions", kept.path());
        Path file = store.resolve(kept.path());
        assertEquals(kept.sha256(), Checksums.sha256Hex(file));
        Predictions predictions = PredictionsFile.read(file);
        assertEquals(FakeDatasetService.sha256(FakeDatasetService.running().testBytes()), predictions.testDigest());
        assertEquals(test.size(), predictions.size());
        for (int i = 0; i < test.size(); i++) {
            assertEquals(test.label(i), predictions.label(i), "image " + i + " in the order it was served");
        }
        assertArrayEquals(
                evaluation.confusionMatrix().stream()
                        .map(row -> row.stream().mapToLong(Long::longValue).toArray())
                        .toArray(long[][]::new),
                predictions.confusionCounts());

        JobCost cost = done.cost();
        assertNotNull(cost, "a completed job reports its cost");
        assertEquals((long) job.hyperParameters().epochs() * 60, cost.trainImages(), "60 images an epoch");
        assertEquals(test.size(), cost.evalImages());
        assertTrue(cost.trainSeconds() > 0 && cost.evalSeconds() > 0, cost.toString());
        assertTrue(cost.trainSeconds() + cost.evalSeconds() <= done.wallSeconds(), cost + " within " + done);
        assertEquals(JobCost.PROCESS_RSS, cost.peakMemory(), "a CPU trainer's resident set");
        assertTrue(cost.peakMemoryBytes() > 50_000_000L, "a JVM with libtorch: " + cost);
    }

    @Test
    void wrongPretrainedWeightsFailTheJobAtOnceSayingWhatWasExpected() throws Exception {
        UUID experiment = UUID.randomUUID();
        // inside the test trainer's model folders (%test.tlab.trainer.model-roots)
        Path weights = Files.writeString(
                Files.createTempFile(Files.createDirectories(Path.of("target")), "weights", ".safetensors"),
                "not weights");
        TrainingJob job = job(
                experiment,
                StrategySpec.named("partial"),
                new ModelSpec(null, null, weights.toString(), "ab".repeat(32)),
                1);
        send(job);
        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobFailed.class) == 1);
        JobFailed failed = (JobFailed) events.get(events.size() - 1);
        assertTrue(failed.reason().startsWith("not retried"), failed.reason());
        assertTrue(failed.reason().contains("Pretrained weights"), failed.reason());
        assertTrue(failed.reason().contains("does not have the sha256 " + "ab".repeat(32)), failed.reason());
        assertTrue(failed.reason().contains("timm/resnet18.tv_in1k"), failed.reason());
        assertEquals(1, attemptsPublished(job).size());
    }

    @Test
    void aJobWhoseModelIsMissingFailsAtOnceWithTheReasonAndIsNotRetried() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = job(experiment, StrategySpec.named("partial"), ModelSpec.of("/nowhere/resnet18.pt"), 1);
        send(job);
        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobFailed.class) == 1);
        JobFailed failed = (JobFailed) events.get(events.size() - 1);
        assertTrue(failed.reason().contains("/nowhere/resnet18.pt"), failed.reason());
        assertTrue(
                failed.reason().contains("export_resnet18.py"),
                "the reason says how to provide a model: " + failed.reason());
        assertTrue(failed.reason().startsWith("not retried"), failed.reason());
        assertFalse(failed.willRetry(), "a bad model cannot succeed on a retry");
        assertEquals(1, failed.failedAttempts().size());
        assertEquals(1, attemptsPublished(job).size(), "no further attempt was published: " + attemptsPublished(job));
    }

    /**
     * A failure that may succeed later (the dataset service answers 503) is retried with backoff until the budget
     * (tlab.trainer.retry.max-attempts, 3) is spent; each attempt is published to training-jobs by the trainer, and the
     * final JobFailed carries every attempt's reason.
     */
    @Test
    void aRetryableFailureIsRetriedUntilTheBudgetIsSpentThenReportedWithEveryAttemptsReason() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = FakeDatasetService.running()
                .jobWithUnavailableManifest(
                        experiment,
                        StrategySpec.named("freeze"),
                        HyperParameters.builder()
                                .epochs(1)
                                .trainBatchSize(16)
                                .evalBatchSize(32)
                                .imageSize(16)
                                .build());
        send(job);
        List<TrainingEvent> events = JobEvents.until(
                experiment, all -> all.stream().anyMatch(e -> e instanceof JobFailed f && !f.willRetry()));
        List<JobFailed> failures = events.stream().map(JobFailed.class::cast).toList();
        assertEquals(
                List.of(1, 2, 3), failures.stream().map(f -> f.job().attempt()).toList());
        assertEquals(
                Arrays.asList(2, 3, null),
                failures.stream().map(JobFailed::nextAttempt).toList());
        assertTrue(
                failures.get(0).retryAt().isAfter(failures.get(0).occurredAt().minusSeconds(1)));
        JobFailed last = failures.get(2);
        assertEquals(
                List.of(1, 2, 3),
                last.failedAttempts().stream().map(FailedAttempt::attempt).toList());
        assertTrue(
                last.failedAttempts().stream().allMatch(f -> f.reason().contains("503")),
                last.failedAttempts().toString());
        assertTrue(
                last.reason().contains("failed 3 times")
                        && last.reason().contains("attempt 1: ")
                        && last.reason().contains("attempt 3: "),
                last.reason());

        List<TrainingJob> published = attemptsPublished(job);
        assertEquals(
                List.of(1, 2, 3), published.stream().map(TrainingJob::attempt).toList());
        assertEquals(
                List.of(1, 2),
                published.get(2).failedAttempts().stream()
                        .map(FailedAttempt::attempt)
                        .toList());
        assertNotNull(published.get(1).notBefore(), "a retry waits out its backoff");
        assertEquals(job.requestedAt(), published.get(2).requestedAt());
    }

    /**
     * Whatever arrives on training-jobs, the trainer goes on: a job that names a bad field, an empty object, and a
     * message as large as the topic takes, of random bytes that are not UTF-8, each go to training-jobs-dlq with their
     * key, value bytes and headers unchanged and a reason that names the first bad field; a null value and a value over
     * the topic's limit once decompressed go there too, refused before they are parsed.
     */
    @Test
    void malformedAndOversizedJobsGoToTheDeadLetterTopicUnchangedAndTheTrainerKeepsGoing() {
        String badField = "malformed-" + UUID.randomUUID();
        TestKafka.send(
                Topic.TRAINING_JOBS.topicName(), badField, "{\"type\":\"TrainingJob\",\"jobId\":\"not-a-uuid\"}");
        String empty = "empty-" + UUID.randomUUID();
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), empty, "{}");
        byte[] hugeKey = ("huge-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] huge = randomBytes(Topic.MAX_MESSAGE_BYTES - 2_000);
        List<Header> headers = List.of(new RecordHeader("origin", new byte[] {(byte) 0xff, 0}));
        TestKafka.sendBytes(Topic.TRAINING_JOBS.topicName(), hugeKey, huge, headers);
        // refused before parsing (IncomingValues): a null value, and 10 MB that gzip turns into a few KB
        String nullValue = "null-" + UUID.randomUUID();
        TestKafka.sendBytes(
                Topic.TRAINING_JOBS.topicName(), nullValue.getBytes(StandardCharsets.UTF_8), null, List.of());
        String inflated = "inflated-" + UUID.randomUUID();
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(tenMegabytes, (byte) ' ');
        TestKafka.sendGzip(Topic.TRAINING_JOBS.topicName(), inflated.getBytes(StandardCharsets.UTF_8), tenMegabytes);

        UUID experiment = UUID.randomUUID();
        send(job(experiment, StrategySpec.named("freeze"), ModelSpec.trainerDefault(), 1));
        JobEvents.until(experiment, all -> JobEvents.count(all, JobCompleted.class) == 1);

        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.pollBytesUntil(
                Topic.TRAINING_JOBS_DLQ.topicName(),
                records -> keys(records)
                        .containsAll(List.of(
                                badField, empty, new String(hugeKey, StandardCharsets.UTF_8), nullValue, inflated)),
                Duration.ofSeconds(60));
        assertTrue(reason(dead, badField).contains("jobId"), reason(dead, badField));
        assertTrue(
                reason(dead, empty).startsWith("eventId: is required"),
                "the first missing field: " + reason(dead, empty));
        ConsumerRecord<byte[], byte[]> copy = withKey(dead, new String(hugeKey, StandardCharsets.UTF_8));
        assertArrayEquals(huge, copy.value(), "the original bytes, not a re-encoded text");
        assertArrayEquals(
                new byte[] {(byte) 0xff, 0}, copy.headers().lastHeader("origin").value());
        assertEquals(Topic.TRAINING_JOBS.topicName(), TestKafka.header(copy, "dead-letter-topic"));
        assertNotNull(TestKafka.header(copy, Topic.DLQ_REASON_HEADER));
        assertTrue(
                reason(dead, nullValue).contains("null value on training-jobs, which is not compacted"),
                reason(dead, nullValue));
        assertTrue(
                reason(dead, inflated).contains("value of " + tenMegabytes.length + " bytes once decompressed"),
                reason(dead, inflated));
    }

    /**
     * A cancelled experiment: its running job stops at the next batch and reports JobCancelled (no result), and a job
     * of it that is still queued is skipped without training. Their checkpoints go (retention 0 in tests).
     */
    @Test
    void aCancelledExperimentsRunningJobStopsAtTheNextBatchAndItsQueuedJobIsSkipped() throws Exception {
        UUID running = UUID.randomUUID();
        TrainingJob long_ = job(running, StrategySpec.named("full"), ModelSpec.trainerDefault(), 40);
        send(long_);
        JobEvents.until(running, all -> JobEvents.count(all, EpochCompleted.class) >= 1);
        cancel(running);
        List<TrainingEvent> events = JobEvents.until(running, all -> JobEvents.count(all, JobCancelled.class) == 1);
        assertEquals(0, JobEvents.count(events, JobCompleted.class));
        JobCancelled stopped = (JobCancelled) events.get(events.size() - 1);
        assertTrue(stopped.completedEpochs() >= 1 && stopped.completedEpochs() < 40, "stopped mid-job: " + stopped);
        assertEquals("stopped by the test", stopped.reason());
        awaitGone(checkpointFolder(long_));

        UUID queued = UUID.randomUUID();
        double known = cancelledExperimentsKnown();
        cancel(queued);
        awaitCondition(() -> cancelledExperimentsKnown() > known, "the trainer learns of the cancellation");
        send(job(queued, StrategySpec.named("partial"), ModelSpec.trainerDefault(), 2));
        List<TrainingEvent> skipped = JobEvents.until(queued, all -> JobEvents.count(all, JobCancelled.class) == 1);
        assertEquals(
                List.of("JobCancelled"),
                skipped.stream().map(TrainingEvent::type).toList(),
                "never started");
        assertEquals(0, ((JobCancelled) skipped.get(0)).completedEpochs());
    }

    @Test
    void aStoppedJobDeliveredAgainResumesAfterItsLastCompletedEpoch() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = job(experiment, StrategySpec.named("partial"), ModelSpec.trainerDefault(), 3);
        // the first run stops after its first epoch as a crashed trainer's would: its checkpoint stays on the volume
        CifarRecords train = CifarRecords.fromBytes(SyntheticCifar.records(60, 1));
        CifarRecords test = CifarRecords.fromBytes(SyntheticCifar.records(30, 2));
        boolean[] oneEpochDone = {false};
        assertThrows(
                TrainingCancelledException.class,
                () -> engine.train(
                        job,
                        train,
                        test,
                        new TrainingListener() {
                            @Override
                            public void onEpoch(EpochMetrics m) {
                                oneEpochDone[0] = true;
                            }
                        },
                        () -> oneEpochDone[0]));

        send(job); // delivered again, as after a crash
        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobCompleted.class) == 1);
        assertEquals(
                List.of("JobStarted", "EpochCompleted", "EpochCompleted", "JobCompleted"),
                events.stream().map(TrainingEvent::type).toList());
        assertEquals(2, ((JobStarted) events.get(0)).startEpoch());
        assertEquals(
                List.of(2, 3),
                events.subList(1, 3).stream()
                        .map(e -> ((EpochCompleted) e).epoch())
                        .toList());
        assertEquals(3, ((JobCompleted) events.get(3)).epochs());
    }

    /**
     * A checkpoint that cannot be loaded (damaged, or removed while it was being loaded) cannot resume anything: the
     * job starts over instead of failing as if its model were bad.
     */
    @Test
    void aResumeWhoseCheckpointCannotBeLoadedStartsOverInsteadOfFailing() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = job(experiment, StrategySpec.named("partial"), ModelSpec.trainerDefault(), 2);
        byte[] notAModel = "not TorchScript".getBytes(StandardCharsets.UTF_8);
        engine.checkpoints()
                .save(
                        job.jobId().toString(),
                        1,
                        job.seed(),
                        job.strategy().name(),
                        List.of(),
                        out -> out.write(notAModel),
                        out -> out.write(notAModel));

        send(job);
        List<TrainingEvent> events = JobEvents.until(experiment, all -> JobEvents.count(all, JobCompleted.class) == 1);
        assertEquals(
                List.of("JobStarted", "EpochCompleted", "EpochCompleted", "JobCompleted"),
                events.stream().map(TrainingEvent::type).toList());
        assertEquals(1, ((JobStarted) events.get(0)).startEpoch(), "started over");
    }

    @Test
    void metricsAndHealthAreExposed() {
        given().get("/q/health/live").then().statusCode(200);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tl_trainer_jobs_active"), "jobs gauge missing");
        assertTrue(metrics.contains("tl_trainer_jobs_completed_total"), "completed counter missing");
    }

    private static Map<String, Long> plan() {
        List<Map<String, Object>> plans = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer trainer-test-plan-token") // %test.tlab.trainer.plan-token
                .body("{}")
                .post("/plan")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        return plans.stream()
                .collect(Collectors.toMap(
                        p -> (String) p.get("strategy"), p -> ((Number) p.get("trainableParameters")).longValue()));
    }

    private static TrainingJob job(UUID experiment, StrategySpec strategy, ModelSpec model, int epochs) {
        return job(experiment, strategy, model, epochs, null);
    }

    private static TrainingJob job(
            UUID experiment, StrategySpec strategy, ModelSpec model, int epochs, Precision precision) {
        return FakeDatasetService.running()
                .job(
                        experiment,
                        strategy,
                        HyperParameters.builder()
                                .epochs(epochs)
                                .trainBatchSize(16)
                                .evalBatchSize(32)
                                .imageSize(16)
                                .precision(precision)
                                .build(),
                        model);
    }

    private static void send(TrainingJob job) {
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));
    }

    /** Every attempt of the job published to training-jobs, in order (the test's own first one included). */
    private static List<TrainingJob> attemptsPublished(TrainingJob job) {
        return TestKafka.readToEnd(Topic.TRAINING_JOBS.topicName()).stream()
                .filter(r -> job.jobId().toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingJob.class))
                .toList();
    }

    private static void cancel(UUID experiment) {
        TestKafka.send(
                Topic.EXPERIMENT_CANCELLATIONS.topicName(),
                experiment.toString(),
                EventCodec.toJson(ExperimentCancelled.of(experiment, "stopped by the test")));
    }

    private static double cancelledExperimentsKnown() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("tl_trainer_cancelled_experiments"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }

    private static Path checkpointFolder(TrainingJob job) {
        return Path.of(ConfigProvider.getConfig().getValue("tlab.trainer.checkpoint-dir", String.class))
                .resolve(job.jobId().toString());
    }

    private static void awaitGone(Path folder) throws InterruptedException {
        awaitCondition(() -> !Files.exists(folder), "checkpoints of a finished job are removed: " + folder);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(14).nextBytes(bytes);
        bytes[0] = (byte) 0xc3;
        bytes[1] = (byte) 0x28; // not UTF-8
        return bytes;
    }

    private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(r -> r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }

    private static ConsumerRecord<byte[], byte[]> withKey(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream()
                .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter with key " + key));
    }

    private static String reason(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return TestKafka.header(withKey(records, key), Topic.DLQ_REASON_HEADER);
    }
}
