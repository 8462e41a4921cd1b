package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the stack benchmarks that need no stack: which jars are missing, and the open-loop GET load. */
class StackBenchPartsTest {
    private static final byte[] BODY = "{\"experimentId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger served = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/experiments/x", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void missingJarsNamesEachServiceNotPackagedYet() throws IOException {
        Path results = root.resolve("results-service/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(results.getParent());
        Files.writeString(results, "jar");
        assertEquals(
                List.of(
                        "dataset-service/target/quarkus-app/quarkus-run.jar",
                        "trainer-service/target/quarkus-app/quarkus-run.jar"),
                BenchStack.missingJars(root));
    }

    @Test
    void theLoadSendsRateTimesSecondsRequestsAndTimesTheAnsweredOnes() throws Exception {
        GetLoad.LoadResult result = GetLoad.load(uri(), 50, 1);
        assertEquals(50, result.latenciesMs().length + result.skipped(), "every due request was sent or skipped");
        assertEquals(0, result.errors());
        assertEquals(result.latenciesMs().length, served.get());
        assertEquals(BODY.length, result.responseBytes());
        for (double latency : result.latenciesMs()) {
            assertTrue(latency >= 0, "counted from when the request was due: " + latency);
        }
    }

    @Test
    void answersOtherThan200AreErrorsAndNotTimed() throws Exception {
        status.set(500);
        GetLoad.LoadResult result = GetLoad.load(uri(), 20, 1);
        assertEquals(0, result.latenciesMs().length);
        assertEquals(20 - result.skipped(), result.errors());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/experiments/x");
    }
}
