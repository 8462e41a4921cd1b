package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP on the loopback: what lands under the target's name, and what a failure leaves behind. */
class VerifiedDownloadTest {
    private static final byte[] CONTENT = "the verified bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<byte[]> body = new AtomicReference<>(CONTENT);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/streamed", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length announces the size
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                }
            }
        });
        server.createContext("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 1 << 20);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException | IOException e) {
                // the client gave up
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/file", exchange -> {
            byte[] bytes = body.get();
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file"))
                .build();
    }

    @Test
    void verifiedBytesTakeTheTargetNameReadOnlyAndNothingElseIsLeft() throws IOException {
        Path target = dir.resolve("cache/file.bin");
        Path result = VerifiedDownload.withDefaultClient()
                .fetch(request(), target, VerifiedDownload.Digest.sha256(Checksums.sha256Hex(CONTENT)));
        assertEquals(target, result);
        assertArrayEquals(CONTENT, Files.readAllBytes(target));
        assertFalse(
                Files.getPosixFilePermissions(target).contains(PosixFilePermission.OWNER_WRITE),
                "a verified file is kept read-only");
        assertEquals(List.of(target), files(target.getParent()), "no partial file is left");
    }

    @Test
    void aMismatchLeavesThePreviousFileAndNoPartialOne() throws IOException {
        Path target = Files.writeString(dir.resolve("file.bin"), "the previous copy");
        VerifiedDownload.Mismatch e = assertThrows(
                VerifiedDownload.Mismatch.class,
                () -> VerifiedDownload.withDefaultClient()
                        .fetch(request(), target, VerifiedDownload.Digest.md5("0".repeat(32))));
        assertEquals(Checksums.hex(Checksums.newDigest("MD5").digest(CONTENT)), e.actual());
        assertTrue(e.getMessage().contains("0".repeat(32)), e.getMessage());
        assertEquals("the previous copy", Files.readString(target));
        assertEquals(List.of(target), files(dir));
    }

    @Test
    void anErrorAnswerIsAFailureWithItsStatusAndBodyNotAMismatch() throws IOException {
        status.set(503);
        body.set("{\"reason\":\"the data files are damaged\"}".getBytes(StandardCharsets.UTF_8));
        Path target = dir.resolve("file.bin");
        VerifiedDownload.Failure e = assertThrows(
                VerifiedDownload.Failure.class,
                () -> VerifiedDownload.withDefaultClient()
                        .fetch(request(), target, VerifiedDownload.Digest.sha256(null)));
        assertFalse(e instanceof VerifiedDownload.Mismatch);
        assertEquals(503, e.status());
        assertTrue(e.body().contains("the data files are damaged"), e.body());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void withoutAnExpectedDigestTheBytesAreTakenAsTheyCome() throws IOException {
        Path target = dir.resolve("file.bin");
        VerifiedDownload.withDefaultClient().fetch(request(), target, VerifiedDownload.Digest.md5(null));
        assertArrayEquals(CONTENT, Files.readAllBytes(target));
    }

    @Test
    void moreBytesThanTheLimitAnnouncedOrStreamedAreRefusedAndNothingIsKept() throws IOException {
        body.set(new byte[4096]);
        VerifiedDownload.Limits limits = new VerifiedDownload.Limits(1000, Duration.ofSeconds(30));
        VerifiedDownload.Failure announced = assertThrows(
                VerifiedDownload.Failure.class,
                () -> VerifiedDownload.withDefaultClient()
                        .fetch(request(), dir.resolve("a.bin"), VerifiedDownload.Digest.sha256(null), limits));
        assertTrue(
                announced.getMessage().contains("larger than the download's limit of 1000 bytes"),
                announced.getMessage());
        VerifiedDownload.Failure streamed = assertThrows(
                VerifiedDownload.Failure.class,
                () -> VerifiedDownload.withDefaultClient()
                        .fetch(
                                request("/streamed"),
                                dir.resolve("b.bin"),
                                VerifiedDownload.Digest.sha256(null),
                                limits));
        assertTrue(streamed.getMessage().contains("more than that received"), streamed.getMessage());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aSlowServerIsCutOffAtTheTimeLimit() throws IOException {
        long t0 = System.nanoTime();
        VerifiedDownload.Failure e = assertThrows(
                VerifiedDownload.Failure.class,
                () -> VerifiedDownload.withDefaultClient()
                        .fetch(
                                request("/slow"),
                                dir.resolve("slow.bin"),
                                VerifiedDownload.Digest.sha256(null),
                                new VerifiedDownload.Limits(1L << 30, Duration.ofSeconds(2))));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(e.getMessage().contains("did not complete within PT2S"), e.getMessage());
        assertTrue(seconds < 20, "gave up after " + seconds + " s, not after the server's 100 s");
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aRedirectIsAFailureThatSaysWhereItLeadsWhenTheClientDoesNotFollow() {
        VerifiedDownload noRedirects = new VerifiedDownload(HttpClient.newHttpClient());
        VerifiedDownload.Failure e = assertThrows(
                VerifiedDownload.Failure.class,
                () -> noRedirects.fetch(
                        request("/moved"),
                        dir.resolve("moved.bin"),
                        VerifiedDownload.Digest.sha256(null),
                        new VerifiedDownload.Limits(1000, Duration.ofSeconds(30))));
        assertEquals(302, e.status());
        assertEquals("http://169.254.169.254/latest/meta-data/", e.location().orElseThrow());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .build();
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList();
        }
    }
}
