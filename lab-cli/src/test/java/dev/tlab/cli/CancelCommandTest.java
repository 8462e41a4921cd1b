package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab cancel}'s documented exit codes, against a dataset service's answers over real HTTP. */
class CancelCommandTest {
    private HttpServer server;
    private volatile int status;
    private volatile String body;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
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

    private int cancel(int answerStatus, String answerBody, String... extra) {
        status = answerStatus;
        body = answerBody;
        List<String> args = new java.util.ArrayList<>(List.of(
                "cancel",
                UUID.randomUUID().toString(),
                "--dataset-url",
                "http://127.0.0.1:" + server.getAddress().getPort()));
        args.addAll(List.of(extra));
        return Lab.execute(args.toArray(String[]::new));
    }

    @Test
    void exitCodesFollowTheServicesAnswer() {
        assertEquals(
                ExitCodes.OK,
                cancel(
                        202,
                        "{\"alreadyCancelled\":false,\"reason\":\"r\"}",
                        "--token",
                        "t0k",
                        "--reason",
                        "wrong data"));
        assertEquals(1, requests.size());
        String sent = requests.get(0);
        assertEquals(
                true,
                sent.startsWith("DELETE /experiments/")
                        && sent.contains("?reason=wrong+data")
                        && sent.endsWith(" Bearer t0k"),
                sent);
        assertEquals(
                ExitCodes.EXPERIMENT_FAILED, cancel(404, "{\"field\":\"experimentId\",\"reason\":\"no experiment\"}"));
        assertEquals(
                ExitCodes.USAGE,
                cancel(401, "{\"field\":\"Authorization\",\"reason\":\"a bearer token is required\"}"));
        assertEquals(ExitCodes.USAGE, cancel(400, "{\"field\":\"reason\",\"reason\":\"too long\"}"));
        assertEquals(ExitCodes.UNREACHABLE, cancel(503, "{\"field\":\"$\",\"reason\":\"broker down\"}"));
        assertEquals(ExitCodes.USAGE, Lab.execute("cancel", "not-a-uuid"), "picocli refuses the id");
    }

    /** Without --token (and TLAB_TRIGGER_TOKEN) the token comes from the stack's file, as ./lab run wrote it. */
    @Test
    void theTokenFileIsReadWhenNoTokenIsGiven(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("trigger-token"), "from-the-file\n");
        assertEquals(
                ExitCodes.OK,
                cancel(202, "{\"alreadyCancelled\":true,\"reason\":\"r\"}", "--token-file", file.toString()));
        assertTrue(requests.get(0).endsWith(" Bearer from-the-file"), requests.get(0));
        assertEquals(
                ExitCodes.OK,
                cancel(
                        202,
                        "{\"alreadyCancelled\":true,\"reason\":\"r\"}",
                        "--token-file",
                        file.toString(),
                        "--token",
                        "given"));
        assertTrue(requests.get(1).endsWith(" Bearer given"), "--token wins: " + requests.get(1));
    }

    @Test
    void anUnreachableServiceIsExitCodeThree() {
        server.stop(0);
        assertEquals(
                ExitCodes.UNREACHABLE,
                Lab.execute(
                        "cancel",
                        UUID.randomUUID().toString(),
                        "--dataset-url",
                        "http://127.0.0.1:" + server.getAddress().getPort()));
    }
}
