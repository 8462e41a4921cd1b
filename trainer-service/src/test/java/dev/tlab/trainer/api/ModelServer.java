package dev.tlab.trainer.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model host on the loopback for {@link PlanDownloadsTest}, allowed by the trainer's configuration (with private
 * addresses allowed, 2 MB and 3 s per download): the narrow model, a server that sends 1 kB a second, 3 MB, and a text
 * file named like a model.
 */
public class ModelServer implements QuarkusTestResourceLifecycleManager {
    static final long MAX_BYTES = 2_000_000;
    static final String TIMEOUT = "PT3S";
    static volatile String origin;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            byte[] model = Files.readAllBytes(Path.of("../models/resnet18-narrow.pt"));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/model.pt", exchange -> send(exchange, model));
            server.createContext("/big.pt", exchange -> send(exchange, new byte[3_000_000]));
            server.createContext(
                    "/notes.pt",
                    exchange -> send(exchange, "meeting notes, not a model".getBytes(StandardCharsets.UTF_8)));
            server.createContext("/slow.pt", exchange -> {
                exchange.sendResponseHeaders(200, model.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < model.length; i += 1024) {
                        out.write(model, i, Math.min(1024, model.length - i));
                        out.flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the trainer gave up, as it should
                }
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "tlab.trainer.model-hosts",
                origin,
                "tlab.trainer.model-private-addresses",
                "true",
                "tlab.trainer.model-download-max-bytes",
                Long.toString(MAX_BYTES),
                "tlab.trainer.model-download-timeout",
                TIMEOUT,
                "tlab.trainer.model-cache",
                "target/plan-downloads-cache");
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
