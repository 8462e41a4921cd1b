package dev.tlab.dataset.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.RequestLimits;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.images.ArchiveDownloads;
import dev.tlab.dataset.images.ImageSources;
import dev.tlab.dataset.images.ImageStore;
import dev.tlab.dataset.manifest.ManifestService;
import dev.tlab.dataset.manifest.ManifestStore;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.images.ScanLimits;
import dev.tlab.messaging.CancelledExperiments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request path built through its constructors, without Quarkus or a broker: what is published is kept in memory,
 * the dataset is a real synthetic one under a temporary folder, and the trainer's POST /plan is a real HTTP server on
 * loopback that counts its calls. (DatasetServiceTest and AdmissionOnceTest run the same path through the broker.)
 */
class ExperimentIntakeTest {
    @TempDir
    Path dataDir;

    private final List<String> plans = new CopyOnWriteArrayList<>();
    private final Published published = new Published();
    private HttpServer planner;
    private ExperimentIntake intake;
    private ExperimentRegistry registry;

    /** What the service published, in order. */
    static final class Published implements EventPublisher {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Override
        public void publishExperiment(ExperimentRequested event) {
            events.add(event);
        }

        @Override
        public void publishManifest(DatasetManifest manifest) {
            events.add(manifest);
        }

        @Override
        public void publishJobs(List<TrainingJob> jobs, BooleanSupplier stop, Consumer<TrainingJob> published) {
            jobs.forEach(job -> {
                events.add(job);
                published.accept(job);
            });
        }

        @Override
        public void publishCancellation(ExperimentCancelled cancellation) {
            events.add(cancellation);
        }

        @Override
        public void publishFailure(ExperimentFailed failure) {
            events.add(failure);
        }

        <T> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @BeforeEach
    void build() throws IOException {
        planner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        planner.createContext("/plan", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            plans.add(body);
            boolean refused = body.contains("refused-");
            byte[] answer = (refused
                            ? "{\"status\":400,\"field\":\"strategies[0].trainable[0]\",\"reason\":\"matches nothing\"}"
                            : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refused ? 400 : 200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        planner.start();

        DatasetMetrics metrics = new DatasetMetrics(new SimpleMeterRegistry());
        DatasetConfig config = publicUrlOnly("http://dataset.test:8081");
        CifarSources sources = new CifarSources(new CifarSources.Settings(
                dataDir,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                10_000,
                Duration.ofSeconds(10),
                6,
                2,
                0,
                false));
        registry = new ExperimentRegistry(dataDir.resolve("experiments.log"));
        JobLedger ledger = new JobLedger(dataDir.resolve("published-jobs.log"));
        CancellationService cancellations =
                new CancellationService(new CancelledExperiments(), published, ledger, registry);
        PlanCheck plan = new PlanCheck(
                Optional.of("http://127.0.0.1:" + planner.getAddress().getPort()),
                Duration.ofSeconds(10),
                Optional.empty(),
                metrics);
        ImageStore images = new ImageStore(dataDir.resolve("images"));
        ArchiveDownloads downloads = new ArchiveDownloads(
                new ArchiveDownloads.Settings(List.of(), false, 1_000_000, Duration.ofSeconds(10)),
                images,
                ArchiveDownloads.client());
        DatasetResolver datasets = new DatasetResolver(
                sources,
                new ImageSources(
                        new ImageSources.Settings(
                                List.of(), new ScanLimits(100, 1_000_000, 10_000_000, 1_000_000, 10_000_000, 4), 1, 10),
                        images,
                        downloads));
        ExperimentAdmission admission =
                new ExperimentAdmission(RequestLimits.defaults("tlab.dataset.limits"), datasets, plan);
        ManifestService manifests =
                new ManifestService(new ManifestStore(dataDir.resolve("manifests")), sources, images, config, metrics);
        ExperimentFanOut fanOut = new ExperimentFanOut(manifests, published, ledger, cancellations, config, metrics);
        intake = new ExperimentIntake(registry, admission, datasets, fanOut, cancellations, published, metrics);
    }

    @AfterEach
    void stop() {
        planner.stop(0);
    }

    /** A DatasetConfig whose only used setting here is the public URL; any other is a mistake of the test. */
    private static DatasetConfig publicUrlOnly(String publicUrl) {
        return (DatasetConfig) Proxy.newProxyInstance(
                DatasetConfig.class.getClassLoader(), new Class<?>[] {DatasetConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("publicUrl")) {
                        return publicUrl;
                    }
                    throw new UnsupportedOperationException("not configured in this test: " + method.getName());
                });
    }

    private static String body(UUID id, String strategy) {
        return "{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"}, \"subset\":"
                + " {\"samplesPerClass\": 2}, \"strategies\": [{\"name\": \"" + strategy
                + "\", \"trainable\": [\"fc.*\"]}]}";
    }

    @Test
    void whatPostAdmittedIsNotAdmittedAgainWhenTheTopicBringsItBack() {
        UUID id = UUID.randomUUID();
        ExperimentRequested request = intake.submit(body(id, "once"));
        assertEquals(List.of(request), published.of(ExperimentRequested.class));
        assertEquals(1, plans.size());

        intake.receive(EventCodec.toBytes(request));
        assertEquals(1, plans.size(), "the plan check ran once for the request");
        assertEquals(1, published.of(DatasetManifest.class).size());
        assertEquals(
                List.of(TrainingJob.jobIdFor(id, "once", 0)),
                published.of(TrainingJob.class).stream().map(TrainingJob::jobId).toList());
        intake.receive(EventCodec.toBytes(request)); // redelivered: every job was published before
        assertEquals(1, published.of(TrainingJob.class).size());
        assertEquals(1, plans.size());
    }

    @Test
    void aRequestFromTheTopicIsAdmittedThereAndAFailureThereIsPublishedAndSpendsTheId() {
        UUID direct = UUID.randomUUID();
        intake.receive(body(direct, "direct")
                .replace("{\"experimentId\"", envelope() + "\"experimentId\"")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(1, plans.size());
        assertEquals(1, published.of(TrainingJob.class).size());

        UUID refused = UUID.randomUUID();
        byte[] bad = body(refused, "refused-one")
                .replace("{\"experimentId\"", envelope() + "\"experimentId\"")
                .getBytes(StandardCharsets.UTF_8);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> intake.receive(bad));
        assertEquals("strategies[0].trainable[0]", e.field());
        ExperimentFailed failed = published.of(ExperimentFailed.class).get(0);
        assertEquals(refused, failed.experimentId());
        assertEquals("strategies[0].trainable[0]", failed.field());
        assertEquals("matches nothing", failed.reason());
        ExperimentConflictException spent =
                assertThrows(ExperimentConflictException.class, () -> intake.submit(body(refused, "other")));
        assertTrue(spent.reason().contains("failed after it was accepted"), spent.reason());
        assertEquals(1, published.of(TrainingJob.class).size(), "nothing of the refused request was published");
    }

    private static String envelope() {
        return "{\"eventId\": \"" + UUID.randomUUID() + "\", \"type\": \"ExperimentRequested\", \"schemaVersion\": 1,"
                + " \"occurredAt\": \"2026-12-07T10:00:00Z\", ";
    }
}
