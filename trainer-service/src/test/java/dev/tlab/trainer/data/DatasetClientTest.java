package dev.tlab.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data a job trains on is verified every time it is used, also when it comes from the trainer's cache; requests,
 * and the reader token, go to the dataset service's origin only.
 */
class DatasetClientTest {
    private static final String TOKEN = "reader-token";
    private final byte[] train = SyntheticCifar.records(20, 1);
    private final byte[] test = SyntheticCifar.records(10, 2);
    private final AtomicReference<byte[]> served = new AtomicReference<>(train);
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<String> outsideRequests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    /** Another origin (same host, other port), that must never hear from the trainer. */
    private HttpServer outside;

    @TempDir
    Path cache;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/train", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/test", exchange -> {
            byte[] body =
                    "{\"field\":\"dataset\",\"reason\":\"the test records of manifest m-1 are damaged\"}".getBytes();
            exchange.sendResponseHeaders(503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/elsewhere", exchange -> {
            exchange.getResponseHeaders().add("Location", outsideUrl() + "/train");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        outside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        outside.createContext("/", exchange -> {
            outsideRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        outside.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        outside.stop(0);
    }

    private DatasetClient client() {
        return new DatasetClient(cache, Optional.of(TOKEN), baseUrl() + "/some/base/path");
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private String outsideUrl() {
        return "http://127.0.0.1:" + outside.getAddress().getPort();
    }

    @Test
    void aManifestUrlOnAnotherOriginIsRefusedBeforeAnyRequest() {
        DatasetClient client = client();
        for (String url : List.of(
                outsideUrl() + "/manifests/m-1",
                "https://127.0.0.1:" + server.getAddress().getPort() + "/manifests/m-1",
                "http://localhost:" + server.getAddress().getPort() + "/manifests/m-1",
                "http://127.0.0.1:" + server.getAddress().getPort() + "@127.0.0.1:"
                        + outside.getAddress().getPort() + "/manifests/m-1",
                "file:///etc/passwd",
                "not a url")) {
            DatasetClient.DataOriginException refused =
                    assertThrows(DatasetClient.DataOriginException.class, () -> client.manifest(url), url);
            assertTrue(refused.getMessage().startsWith("the job's manifestUrl '" + url + "'"), refused.getMessage());
            assertTrue(
                    refused.getMessage().contains("only to " + baseUrl() + " (tlab.trainer.dataset-url)"),
                    refused.getMessage());
        }
        assertEquals(List.of(), outsideRequests, "no request, no token, went elsewhere");
    }

    @Test
    void dataUrlsOnAnotherOriginAreRefusedEvenWithoutAManifestRequest() {
        DatasetClient client = client();
        DatasetManifest foreign = manifest(outsideUrl() + "/train", baseUrl() + "/test");
        DatasetClient.DataOriginException refused =
                assertThrows(DatasetClient.DataOriginException.class, () -> client.trainingRecords(foreign));
        assertTrue(
                refused.getMessage().startsWith("the manifest's trainDataUrl '" + outsideUrl() + "/train'"),
                refused.getMessage());
        assertEquals(List.of(), outsideRequests);
        assertEquals(0, fetches.get());
    }

    @Test
    void aRedirectIsNotFollowedSoTheTokenStaysWithTheDatasetService() {
        DatasetClient client = client();
        DatasetManifest redirected = manifest(baseUrl() + "/elsewhere", baseUrl() + "/test");
        DatasetClient.DataUnavailableException e =
                assertThrows(DatasetClient.DataUnavailableException.class, () -> client.trainingRecords(redirected));
        assertTrue(e.getMessage().contains("answered 302"), e.getMessage());
        assertEquals(List.of(), outsideRequests, "the redirect was not followed");
    }

    @Test
    void theDatasetUrlMustBeAnHttpUrlWithAHost() {
        for (String bad : List.of("ftp://127.0.0.1:8081", "127.0.0.1:8081", "http:///path", "http://a b", "")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> new DatasetClient(cache, Optional.empty(), bad), bad);
            assertTrue(e.getMessage().contains("tlab.trainer.dataset-url"), e.getMessage());
        }
    }

    @Test
    void aDamagedCachedCopyIsDroppedAndFetchedAgain() throws IOException {
        DatasetClient client = client();
        assertRecords(train, client.trainingRecords(manifest()));
        Path copy = cache.resolve("train-" + sha256(train) + ".bin");
        assertTrue(Files.isRegularFile(copy));
        assertFalse(
                Files.getPosixFilePermissions(copy).contains(PosixFilePermission.OWNER_WRITE),
                "the cached copy is kept read-only");

        assertRecords(train, client.trainingRecords(manifest()));
        assertEquals(1, fetches.get(), "an intact cached copy is used without fetching");

        damage(copy);
        assertRecords(train, client.trainingRecords(manifest()));
        assertEquals(2, fetches.get(), "the damaged copy was fetched again");
        assertArrayEquals(train, Files.readAllBytes(copy), "and the cache repaired");
    }

    @Test
    void damagedDataIsRefusedWithTheReason() throws IOException {
        DatasetClient client = client();
        client.trainingRecords(manifest());
        damage(cache.resolve("train-" + sha256(train) + ".bin"));
        byte[] damaged = train.clone();
        damaged[100] ^= 1;
        served.set(damaged); // the dataset service hands out damaged bytes too

        // fetching again would give the same bytes: a permanent failure, never retried
        DatasetClient.DataUnavailableException e =
                assertThrows(DatasetClient.DataIntegrityException.class, () -> client.trainingRecords(manifest()));
        assertTrue(e.getMessage().contains("refusing to train on it"), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(train)), e.getMessage());

        e = assertThrows(DatasetClient.DataUnavailableException.class, () -> client.testRecords(manifest()));
        assertTrue(e.getMessage().contains("answered 503") && e.getMessage().contains("are damaged"), e.getMessage());
        assertFalse(e instanceof DatasetClient.DataIntegrityException, "a service that answers 503 may recover");
    }

    private static void damage(Path copy) throws IOException {
        copy.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(copy);
        bytes[CifarFormat.RECORD_BYTES * 10 + 7] ^= 0x5a; // a pixel, not a label: silent damage, the records parse
        Files.write(copy, bytes);
    }

    /** Every label and pixel of the records equals the expected bytes. */
    private static void assertRecords(byte[] expected, CifarRecords records) {
        assertEquals(expected.length / CifarFormat.RECORD_BYTES, records.size());
        for (int i = 0; i < records.size(); i++) {
            int base = i * CifarFormat.RECORD_BYTES;
            assertEquals(expected[base] & 0xff, records.label(i), "label of record " + i);
            for (int p = 0; p < CifarFormat.IMAGE_BYTES; p++) {
                int c = p / CifarFormat.PLANE;
                int y = p % CifarFormat.PLANE / CifarFormat.SIDE;
                int x = p % CifarFormat.SIDE;
                if ((expected[base + 1 + p] & 0xff) != records.pixel(i, c, y, x)) {
                    throw new AssertionError("record " + i + " differs at byte " + (1 + p));
                }
            }
        }
    }

    private DatasetManifest manifest() {
        return manifest(baseUrl() + "/train", baseUrl() + "/test");
    }

    private DatasetManifest manifest(String trainUrl, String testUrl) {
        List<String> classes =
                IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList();
        return new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                1,
                Instant.now(),
                "m-1",
                "synthetic",
                true,
                sha256(train),
                classes,
                IntStream.range(0, 10).mapToObj(i -> 2).toList(),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 2, 0L),
                IntStream.range(0, 20).boxed().toList(),
                sha256(train),
                10,
                sha256(test),
                trainUrl,
                testUrl);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
