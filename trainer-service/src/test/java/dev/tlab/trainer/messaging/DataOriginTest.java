package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forged jobs on the real broker (whoever may write training-jobs could send one): a job whose manifest, or whose
 * manifest's data, is on another server than the dataset service (tlab.trainer.dataset-url) fails at once and for good,
 * naming the URL and the dataset service, and that server hears nothing from the trainer: no token, no request.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class DataOriginTest {
    private static final HyperParameters HP = HyperParameters.builder()
            .epochs(1)
            .trainBatchSize(16)
            .evalBatchSize(32)
            .imageSize(16)
            .build();
    private final List<String> heardByTheOutsideServer = new CopyOnWriteArrayList<>();
    private HttpServer outside;

    @BeforeEach
    void startTheOutsideServer() throws IOException {
        outside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        outside.createContext("/", exchange -> {
            heardByTheOutsideServer.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        outside.start();
    }

    @AfterEach
    void stopTheOutsideServer() {
        outside.stop(0);
    }

    private String outsideUrl() {
        return "http://127.0.0.1:" + outside.getAddress().getPort();
    }

    @Test
    void aForgedJobsManifestUrlOnAnotherServerFailsTheJobAndThatServerHearsNothing() {
        String forged = outsideUrl() + "/manifests/m-trainer-test";
        TrainingJob job = FakeDatasetService.job(
                UUID.randomUUID(), StrategySpec.named("freeze"), HP, ModelSpec.trainerDefault(), forged);
        String reason = onlyFailure(job);
        assertTrue(reason.startsWith("not retried"), reason);
        assertTrue(reason.contains("the job's manifestUrl '" + forged + "' is not on the dataset service"), reason);
        assertTrue(
                reason.contains("only to " + FakeDatasetService.running().baseUrl() + " (tlab.trainer.dataset-url)"),
                reason);
        assertEquals(List.of(), heardByTheOutsideServer);
        assertEquals(1, attemptsPublished(job), "no further attempt");
    }

    @Test
    void aManifestWhoseDataIsOnAnotherServerFailsTheJobAndThatServerHearsNothing() {
        FakeDatasetService dataset = FakeDatasetService.running();
        String manifest = dataset.serveManifest(
                "m-foreign-data", dataset.manifestUrl() + "/train", outsideUrl() + "/test-images");
        TrainingJob job = FakeDatasetService.job(
                UUID.randomUUID(), StrategySpec.named("freeze"), HP, ModelSpec.trainerDefault(), manifest);
        String reason = onlyFailure(job);
        assertTrue(reason.startsWith("not retried"), reason);
        assertTrue(
                reason.contains("the manifest's testDataUrl '" + outsideUrl() + "/test-images' is not on the dataset"),
                reason);
        assertTrue(reason.contains(dataset.baseUrl() + " (tlab.trainer.dataset-url)"), reason);
        assertEquals(List.of(), heardByTheOutsideServer);
    }

    /** The dataset service answers something that is no manifest: another attempt reads the same. */
    @Test
    void aManifestThatCannotBeReadFailsAtOnce() {
        FakeDatasetService dataset = FakeDatasetService.running();
        TrainingJob job = FakeDatasetService.job(
                UUID.randomUUID(),
                StrategySpec.named("freeze"),
                HP,
                ModelSpec.trainerDefault(),
                dataset.baseUrl() + FakeDatasetService.UNREADABLE_PATH);
        String reason = onlyFailure(job);
        assertTrue(reason.startsWith("not retried"), reason);
        assertEquals(1, attemptsPublished(job), "no further attempt");
    }

    /** Sends one job and returns the reason of its JobFailed, checking nothing else of it was published. */
    private static String onlyFailure(TrainingJob job) {
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));
        String experiment = job.experimentId().toString();
        List<TrainingEvent> events = TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS.topicName(),
                        records -> records.stream()
                                .anyMatch(r ->
                                        experiment.equals(r.key()) && r.value().contains(JobFailed.TYPE)),
                        Duration.ofMinutes(2))
                .stream()
                .filter(r -> experiment.equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class))
                .toList();
        assertEquals(
                List.of(JobFailed.TYPE),
                events.stream().map(TrainingEvent::type).toList(),
                "nothing started");
        JobFailed failed = (JobFailed) events.get(0);
        assertEquals(null, failed.nextAttempt(), "failed for good");
        return failed.reason();
    }

    private static long attemptsPublished(TrainingJob job) {
        return TestKafka.readToEnd(Topic.TRAINING_JOBS.topicName()).stream()
                .filter(r -> job.jobId().toString().equals(r.key()))
                .count();
    }
}
