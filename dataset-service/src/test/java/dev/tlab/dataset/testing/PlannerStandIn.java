package dev.tlab.dataset.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback standing in for a trainer's {@code POST /plan}, wired as the service's
 * {@code tlab.dataset.planner-url} with {@code tlab.dataset.plan-token}: it records every call (its Authorization
 * header and body), answers 401 without the token, refuses a strategy named {@code matches-nothing...} as a trainer
 * refuses a pattern that matches no parameter, and passes everything else.
 */
public class PlannerStandIn implements QuarkusTestResourceLifecycleManager {
    public static final String TOKEN = "pl4n-s3cret";
    public static final String REFUSED_PREFIX = "matches-nothing";
    public static final String REFUSAL = "pattern 'nothing.*' matches no parameter of the model";

    /** One call of POST /plan as it arrived. */
    public record Call(String authorization, String body) {}

    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** The calls whose body mentions {@code text} (e.g. a strategy name unique to a test). */
    public static List<Call> callsMentioning(String text) {
        return CALLS.stream().filter(c -> c.body().contains(text)).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/plan", this::plan);
        server.start();
        return Map.of(
                "tlab.dataset.planner-url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "tlab.dataset.plan-token",
                TOKEN);
    }

    private void plan(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        CALLS.add(new Call(authorization, body));
        if (!("Bearer " + TOKEN).equals(authorization)) {
            answer(exchange, 401, "{\"status\":401,\"field\":\"Authorization\",\"reason\":\"wrong bearer token\"}");
        } else if (body.contains(REFUSED_PREFIX)) {
            answer(
                    exchange,
                    400,
                    "{\"status\":400,\"field\":\"strategies[0].trainable[0]\",\"reason\":\"" + REFUSAL + "\"}");
        } else {
            answer(exchange, 200, "{\"strategies\":[]}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
