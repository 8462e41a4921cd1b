package dev.tlab.trainer.messaging;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Serves one manifest and its data over real HTTP on loopback, as the dataset service does, and points the trainer's
 * {@code tlab.trainer.dataset-url} at itself: {@code @WithTestResource(FakeDatasetService.class)}; the test reaches it
 * through {@link #running()}, which also makes jobs that point at that manifest. Like the dataset service with a reader
 * token, it answers 401 to a request without {@link #READER_TOKEN}.
 */
public final class FakeDatasetService implements QuarkusTestResourceLifecycleManager {
    static final String MANIFEST_ID = "m-trainer-test";
    /** The trainer's %test.tlab.trainer.dataset-token. */
    static final String READER_TOKEN = "trainer-test-reader-token";
    /** Answers 503, as a dataset service that is down would: a failure that may succeed on a retry. */
    static final String UNAVAILABLE_PATH = "/manifests/unavailable";
    /** Answers 200 with a body that is not a manifest. */
    static final String UNREADABLE_PATH = "/manifests/unreadable";

    private static volatile FakeDatasetService running;

    private HttpServer server;
    private final byte[] train = SyntheticCifar.records(60, 1);
    private final byte[] test = SyntheticCifar.records(30, 2);
    private final Map<String, byte[]> routes = new ConcurrentHashMap<>();

    /** The instance the trainer under test talks to (started with the Quarkus application). */
    static FakeDatasetService running() {
        FakeDatasetService service = running;
        if (service == null) {
            throw new IllegalStateException("annotate the test with @WithTestResource(FakeDatasetService.class)");
        }
        return service;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        routes.put(
                "/manifests/" + MANIFEST_ID,
                EventCodec.toBytes(manifest(MANIFEST_ID, dataUrl("train"), dataUrl("test"))));
        routes.put("/manifests/" + MANIFEST_ID + "/train", train);
        routes.put("/manifests/" + MANIFEST_ID + "/test", test);
        routes.put(UNREADABLE_PATH, "{\"type\":\"DatasetManifest\",\"manifestId\":".getBytes(StandardCharsets.UTF_8));
        server.createContext("/", exchange -> {
            if (!("Bearer " + READER_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            byte[] body = routes.get(path);
            int status = body != null ? 200 : path.equals(UNAVAILABLE_PATH) ? 503 : 404;
            exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        running = this;
        return Map.of("tlab.trainer.dataset-url", baseUrl());
    }

    @Override
    public void stop() {
        running = null;
        server.stop(0);
    }

    /** The test images the jobs are evaluated on. */
    CifarRecords testRecords() {
        return CifarRecords.fromBytes(test);
    }

    /** Their records as served (the manifest's test digest is their sha256). */
    byte[] testBytes() {
        return test.clone();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String manifestUrl() {
        return baseUrl() + "/manifests/" + MANIFEST_ID;
    }

    private String dataUrl(String part) {
        return baseUrl() + "/manifests/" + MANIFEST_ID + "/" + part;
    }

    /** Serves a manifest of the same data under another id whose data URLs are the given ones; its URL. */
    String serveManifest(String manifestId, String trainUrl, String testUrl) {
        routes.put("/manifests/" + manifestId, EventCodec.toBytes(manifest(manifestId, trainUrl, testUrl)));
        return baseUrl() + "/manifests/" + manifestId;
    }

    private DatasetManifest manifest(String manifestId, String trainUrl, String testUrl) {
        List<String> classes =
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList();
        return new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                1,
                Instant.now(),
                manifestId,
                "synthetic",
                true,
                sha256(train),
                classes,
                IntStream.range(0, 10).mapToObj(i -> 6).toList(),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 6, 0L),
                IntStream.range(0, 60).boxed().toList(),
                sha256(train),
                30,
                sha256(test),
                trainUrl,
                testUrl);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A job (attempt 1, seed 0) of the experiment that trains on this service's data. */
    TrainingJob job(UUID experiment, StrategySpec strategy, HyperParameters hp, ModelSpec model) {
        return job(experiment, strategy, hp, model, manifestUrl());
    }

    /** A job whose manifest this service answers with 503. */
    TrainingJob jobWithUnavailableManifest(UUID experiment, StrategySpec strategy, HyperParameters hp) {
        return job(experiment, strategy, hp, ModelSpec.trainerDefault(), baseUrl() + UNAVAILABLE_PATH);
    }

    /** A job (attempt 1, seed 0) whose manifest is at the given URL. */
    static TrainingJob job(
            UUID experiment, StrategySpec strategy, HyperParameters hp, ModelSpec model, String manifestUrl) {
        return new TrainingJob(
                UUID.randomUUID(),
                TrainingJob.TYPE,
                1,
                Instant.now(),
                TrainingJob.jobIdFor(experiment, strategy.name(), 0),
                experiment,
                MANIFEST_ID,
                manifestUrl,
                "synthetic",
                true,
                strategy,
                hp,
                model,
                0L,
                1,
                Instant.now(),
                null,
                null);
    }
}
