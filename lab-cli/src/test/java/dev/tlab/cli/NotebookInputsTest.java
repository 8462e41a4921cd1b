package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook's inputs against a real HTTP server on the loopback: a download is kept only with the expected digest, a
 * file already in place is verified and reused, and every failure says which file to place where.
 */
class NotebookInputsTest {
    private static final byte[] WEIGHTS = "pretend safetensors".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<byte[]> served = new AtomicReference<>(WEIGHTS);
    private final AtomicInteger requests = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/model.safetensors", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = served.get();
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

    private NotebookInputs.Input weights() {
        return new NotebookInputs.Input(
                "ImageNet weights",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/model.safetensors",
                "sha256",
                VerifiedDownload.Digest.sha256(Checksums.sha256Hex(WEIGHTS)),
                dir.resolve("models/weights.safetensors"));
    }

    private Optional<String> fetch(NotebookInputs.Input input, boolean offline) {
        return NotebookInputs.fetch(input, offline, VerifiedDownload.withDefaultClient(), log);
    }

    @Test
    void aDownloadWithTheExpectedDigestIsKeptThenReusedWithoutAnotherRequest() throws IOException {
        NotebookInputs.Input input = weights();
        assertEquals(Optional.empty(), fetch(input, false));
        assertArrayEquals(WEIGHTS, Files.readAllBytes(input.target()));
        assertEquals(Optional.empty(), fetch(input, false));
        assertEquals(1, requests.get(), "the file in place was verified, not fetched again");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("(sha256 verified)"), logged.toString());
        assertEquals(List.of(input.target()), files());
    }

    @Test
    void aDownloadWithAnotherDigestIsNotKeptAndTheMessageSaysWhatToPlaceWhere() throws IOException {
        NotebookInputs.Input input = weights();
        served.set("something else".getBytes(StandardCharsets.UTF_8));
        String problem = fetch(input, false).orElseThrow();
        assertTrue(problem.startsWith(input.instructions()), problem);
        assertTrue(
                problem.endsWith(
                        "the download has sha256 " + Checksums.sha256Hex(served.get()) + ", so it was not kept"),
                problem);
        assertEquals(List.of(), files(), "nothing is left, not even a partial file");
    }

    @Test
    void aFailedDownloadSaysSoAndLeavesNothing() throws IOException {
        status.set(404);
        String problem = fetch(weights(), false).orElseThrow();
        assertTrue(problem.contains("the download failed: ") && problem.contains("404"), problem);
        assertEquals(List.of(), files());
    }

    @Test
    void aWrongFileInPlaceIsNamedAndKeptAsItIsAndOfflineNothingIsFetched() throws IOException {
        NotebookInputs.Input input = weights();
        Files.createDirectories(input.target().getParent());
        Files.writeString(input.target(), "not the weights");
        String problem = fetch(input, false).orElseThrow();
        assertTrue(problem.contains("the file there has sha256 " + Checksums.sha256Hex(input.target())), problem);
        assertTrue(problem.endsWith(": replace it"), problem);
        assertEquals("not the weights", Files.readString(input.target()));

        Files.delete(input.target());
        assertEquals(Optional.of(input.instructions()), fetch(input, true));
        assertEquals(0, requests.get(), "offline, and a file in place, never fetch");
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
