package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ./lab watch} against a results service's answers over real HTTP. */
class WatchCommandTest {
    private static final UUID EXPERIMENT = UUID.randomUUID();
    private static final String REASON = "the dataset in /data has changed since it was verified; restore its files";

    private HttpServer server;
    private volatile Views.Experiment served;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/experiments/" + EXPERIMENT, exchange -> {
            byte[] answer = EventCodec.toBytes(served);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anExperimentThatFailedAfterItWasAcceptedEndsTheWatchNonZeroWithItsReason() {
        served = experiment("failed", new Views.Failure(Instant.now(), "dataset", REASON));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = watch();
        } finally {
            System.setErr(before);
        }
        assertEquals(ExitCodes.EXPERIMENT_FAILED, exit);
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("experiment " + EXPERIMENT + " failed (dataset): " + REASON), said);
    }

    @Test
    void aCancelledExperimentStillEndsWithItsOwnCode() {
        served = experiment("cancelled", null);
        assertEquals(ExitCodes.CANCELLED, watch());
    }

    private int watch() {
        return Lab.execute(
                "watch",
                EXPERIMENT.toString(),
                "--results-url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "--timeout",
                "PT30S");
    }

    /** An experiment without jobs, as the results service shows one that never got any. */
    private static Views.Experiment experiment(String state, Views.Failure failure) {
        return new Views.Experiment(
                EXPERIMENT,
                Instant.now(),
                Instant.now(),
                1,
                state,
                null,
                false,
                null,
                List.of(),
                null,
                List.of(),
                new Views.Leaderboard(EXPERIMENT, null, false, state, List.of(), null, null),
                null,
                null,
                null,
                failure);
    }
}
