package dev.tlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a free loopback port, scraping the given targets every
 * second, for tests that evaluate the dashboard's queries against live services. Close it to stop the process.
 *
 * <p>Used from other modules through the deploy module's test-jar ({@code dev.tlab:deploy:test-jar}).
 */
public final class PrometheusServer implements AutoCloseable {

    /** One scrape job: its name (the {@code job} label), metrics path and {@code host:port} targets. */
    public record ScrapeJob(String name, String metricsPath, List<String> targets) {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final Path log;

    private PrometheusServer(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** Starts Prometheus with its config and data under {@code workDir} and waits until it is ready. */
    public static PrometheusServer start(Path workDir, List<ScrapeJob> jobs) {
        try {
            Files.createDirectories(workDir);
            Path config = Files.writeString(workDir.resolve("prometheus.yml"), config(jobs));
            Path log = workDir.resolve("prometheus.log");
            int port = freePort();
            Process process;
            try {
                process = new ProcessBuilder(
                                "prometheus",
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + workDir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                throw new AssertionError(
                        "cannot start prometheus (" + e.getMessage()
                                + "): install Debian's prometheus package; ./lab test does (scripts/test-tools)",
                        e);
            }
            PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scrape configuration: every job scraped each second, so that rate() over minutes has samples soon. */
    static String config(List<ScrapeJob> jobs) {
        StringBuilder yaml =
                new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        for (ScrapeJob job : jobs) {
            yaml.append("  - job_name: ")
                    .append(job.name())
                    .append('\n')
                    .append("    metrics_path: ")
                    .append(job.metricsPath())
                    .append('\n')
                    .append("    static_configs:\n      - targets: [")
                    .append(job.targets().stream().map(t -> '"' + t + '"').collect(Collectors.joining(", ")))
                    .append("]\n");
        }
        return yaml.toString();
    }

    /** GET /api/v1/query: the whole JSON answer, {@code status} "success" or "error" (HTTP 400 for a bad query). */
    public JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** GET /api/v1/series: the series that match a selector. */
    public JsonNode series(String selector) {
        return get("/api/v1/series?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    }

    public URI uri() {
        return base;
    }

    private JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(base.resolve(pathAndQuery))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + readLog());
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new AssertionError("prometheus did not become ready: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
