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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Serves one manifest and its data over real HTTP on loopback, as the dataset service does, for the test class that
 * registers it ({@code @RegisterExtension static}); it also makes jobs that point at that manifest. Like the dataset
 * service with a reader token, it answers 401 to a request without {@link #READER_TOKEN}.
 */
final class FakeDatasetService implements BeforeAllCallback, AfterAllCallback {
    static final String MANIFEST_ID = "m-trainer-test";
    /** The trainer's %test.tlab.trainer.dataset-token. */
    static final String READER_TOKEN = "trainer-test-reader-token";
    /** Answers 503, as a dataset service that is down would: a failure that may succeed on a retry. */
    static final String UNAVAILABLE_PATH = "/manifests/unavailable";

    private HttpServer server;
    private final byte[] train = SyntheticCifar.records(60, 1);
    private final byte[] test = SyntheticCifar.records(30, 2);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, byte[]> routes = Map.of(
                "/manifests/" + MANIFEST_ID, EventCodec.toBytes(manifest()),
                "/manifests/" + MANIFEST_ID + "/train", train,
                "/manifests/" + MANIFEST_ID + "/test", test);
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
    }

    /** The test images the jobs are evaluated on. */
    CifarRecords testRecords() {
        return CifarRecords.fromBytes(test);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String manifestUrl() {
        return baseUrl() + "/manifests/" + MANIFEST_ID;
    }

    private DatasetManifest manifest() {
        List<String> classes =
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList();
        return new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                1,
                Instant.now(),
                MANIFEST_ID,
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
                baseUrl() + "/manifests/" + MANIFEST_ID + "/train",
                baseUrl() + "/manifests/" + MANIFEST_ID + "/test");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }

    /** A job (attempt 1, seed 0) of the experiment that trains on this service's data. */
    TrainingJob job(UUID experiment, StrategySpec strategy, HyperParameters hp, ModelSpec model) {
        return job(experiment, strategy, hp, model, manifestUrl());
    }

    /** A job whose manifest this service answers with 503. */
    TrainingJob jobWithUnavailableManifest(UUID experiment, StrategySpec strategy, HyperParameters hp) {
        return job(experiment, strategy, hp, ModelSpec.trainerDefault(), baseUrl() + UNAVAILABLE_PATH);
    }

    private static TrainingJob job(
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
