package dev.tlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page open in a real headless Chromium that stays open while the test changes the server's data, driven over the
 * Chrome DevTools Protocol (a WebSocket; {@code Runtime.evaluate} reads the live DOM). Chromium writes the port it
 * listens on to {@code DevToolsActivePort} in its profile folder when started with {@code --remote-debugging-port=0}.
 */
final class DevToolsPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process chromium;
    private volatile WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private DevToolsPage(Process chromium) {
        this.chromium = chromium;
    }

    static DevToolsPage open(Path chromiumBinary, Path profile, String url) throws Exception {
        Process chromium = new ProcessBuilder(
                        chromiumBinary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--disable-dev-shm-usage",
                        "--remote-debugging-port=0",
                        "--remote-allow-origins=*",
                        "--user-data-dir=" + profile,
                        "--window-size=1200,900",
                        url)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (System.nanoTime() > deadline || !chromium.isAlive()) {
                    throw new IllegalStateException("chromium did not open its DevTools port");
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            while (pageSocket == null) {
                JsonNode targets = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                for (JsonNode target : targets) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("chromium shows no page target: " + targets);
                    }
                    Thread.sleep(100);
                }
            }
            DevToolsPage page = new DevToolsPage(chromium);
            page.socket = http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(pageSocket), page.listener())
                    .get(30, TimeUnit.SECONDS);
            return page;
        } catch (Exception e) {
            chromium.destroyForcibly();
            throw e;
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    answer(message.toString());
                    message.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    private void answer(String text) {
        try {
            JsonNode answer = JSON.readTree(text);
            if (answer.has("id")) {
                CompletableFuture<JsonNode> future =
                        pending.remove(answer.get("id").asInt());
                if (future != null) {
                    future.complete(answer);
                }
            }
        } catch (IOException e) {
            // an event we cannot read is not an answer to a call of ours
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value (as JSON). */
    JsonNode evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        call.putObject("params").put("expression", expression).put("returnByValue", true);
        socket.sendText(JSON.writeValueAsString(call), true).get(30, TimeUnit.SECONDS);
        JsonNode result = answer.get(30, TimeUnit.SECONDS);
        if (result.has("error") || result.path("result").has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " failed: " + result);
        }
        return result.path("result").path("result").path("value");
    }

    /** The URLs the page has requested since it loaded (Resource Timing), e.g. to show that it does not poll. */
    List<String> requestedUrls() throws Exception {
        JsonNode names = evaluate("performance.getEntriesByType('resource').map(function(e){ return e.name; })");
        return JSON.convertValue(names, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    @Override
    public void close() throws Exception {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            chromium.destroy();
            if (!chromium.waitFor(20, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
            }
        }
    }
}
