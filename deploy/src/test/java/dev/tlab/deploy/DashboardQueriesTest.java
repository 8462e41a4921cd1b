package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard check itself, against a real Prometheus scraping a small real endpoint: a valid query with data passes;
 * an invalid expression, an expression without series and a variable without values each fail. (The dashboard's own
 * queries are evaluated against the running services in lab-cli's EndToEndIT.)
 */
class DashboardQueriesTest {

    static final String METRICS = """
            # TYPE demo_requests_total counter
            demo_requests_total{reason="bad_json"} 5
            demo_requests_total{reason="no_token"} 2
            """;

    @Test
    void validQueriesPassAndEachKindOfBrokenQueryIsReported(@TempDir Path dir) throws Exception {
        HttpServer endpoint = serve(METRICS, "/q/metrics");
        try (PrometheusServer prometheus = scraping(dir, "demo", endpoint, "/q/metrics")) {
            Map<String, String> values = Map.of("reason", "bad_json|no_token");
            JsonNode valid = dashboard(
                    List.of("sum by (reason) (rate(demo_requests_total{reason=~\"$reason\"}[5m]))"),
                    List.of("label_values(demo_requests_total{job=\"demo\"}, reason)"));
            assertEquals(
                    List.of(), DashboardQueries.await(prometheus, valid, values, e -> false, Duration.ofMinutes(2)));

            JsonNode broken = dashboard(
                    List.of(
                            "sum(rate(demo_requests_total[5m])",
                            "demo_missing_total",
                            "sum(rate(demo_requests_total[5m]))"),
                    List.of("label_values(demo_missing_total, reason)"));
            List<DashboardQueries.Problem> problems = DashboardQueries.check(prometheus, broken, values, e -> false);
            assertEquals(3, problems.size(), problems.toString());
            assertTrue(
                    problems.get(0).invalid() && problems.get(0).query().equals("sum(rate(demo_requests_total[5m])"),
                    problems.toString());
            assertEquals("no series", problems.get(1).reason());
            assertTrue(
                    problems.get(2).source().contains("$v0")
                            && problems.get(2).reason().startsWith("no values"),
                    problems.toString());

            // An expression allowed to be empty must still be valid PromQL.
            List<DashboardQueries.Problem> allowed = DashboardQueries.check(
                    prometheus,
                    dashboard(List.of("demo_missing_total", "sum(demo_missing_total"), List.of()),
                    values,
                    e -> true);
            assertEquals(1, allowed.size(), allowed.toString());
            assertTrue(allowed.get(0).invalid());
        } finally {
            endpoint.stop(0);
        }
    }

    /**
     * What NVIDIA's DCGM exporter writes (labels as dcgm-exporter sets them with DCGM_EXPORTER_KUBERNETES=true: the
     * pod, namespace and container that hold the GPU; none on an idle GPU): two trainer pods, an idle GPU and another
     * workload's GPU on the same nodes.
     */
    static final String DCGM = """
            # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
            # TYPE DCGM_FI_DEV_GPU_UTIL gauge
            DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-0a",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="trainer-service",namespace="tlab",pod="trainer-service-6d5f9-abcde"} 87
            DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-1b",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="trainer-service",namespace="tlab",pod="trainer-service-6d5f9-fghij"} 12
            DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="GPU-2c",device="nvidia2",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a"} 0
            DCGM_FI_DEV_GPU_UTIL{gpu="3",UUID="GPU-3d",device="nvidia3",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="notebook",namespace="research",pod="notebook-0"} 99
            # HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).
            # TYPE DCGM_FI_DEV_FB_USED gauge
            DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-0a",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="trainer-service",namespace="tlab",pod="trainer-service-6d5f9-abcde"} 40960
            DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-1b",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="trainer-service",namespace="tlab",pod="trainer-service-6d5f9-fghij"} 1024
            DCGM_FI_DEV_FB_USED{gpu="2",UUID="GPU-2c",device="nvidia2",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a"} 0
            DCGM_FI_DEV_FB_USED{gpu="3",UUID="GPU-3d",device="nvidia3",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-a",container="notebook",namespace="research",pod="notebook-0"} 70000
            """;

    /**
     * The dashboard's GPU panels, evaluated by a real Prometheus on DCGM exporter series: one series per trainer pod,
     * utilisation in percent and memory in bytes, the idle GPU and other workloads' GPUs left out. (No DCGM exporter
     * runs on the local stack, so lab-cli's EndToEndIT only requires these expressions to be valid.)
     */
    @Test
    void gpuPanelsShowEachTrainerPodsUtilisationAndMemory(@TempDir Path dir) throws Exception {
        HttpServer endpoint = serve(DCGM, "/metrics");
        try (PrometheusServer prometheus = scraping(dir, "dcgm", endpoint, "/metrics")) {
            Map<String, String> utilisation = perPod(prometheus, gpuPanel("DCGM_FI_DEV_GPU_UTIL"));
            assertEquals(Map.of("trainer-service-6d5f9-abcde", "87", "trainer-service-6d5f9-fghij", "12"), utilisation);
            Map<String, String> memory = perPod(prometheus, gpuPanel("DCGM_FI_DEV_FB_USED"));
            assertEquals(
                    Map.of(
                            "trainer-service-6d5f9-abcde",
                            Long.toString(40960L << 20),
                            "trainer-service-6d5f9-fghij",
                            Long.toString(1024L << 20)),
                    memory,
                    "bytes (DCGM reports MiB)");
        } finally {
            endpoint.stop(0);
        }
    }

    /** The expression of the real dashboard's panel that queries the given metric. */
    private static String gpuPanel(String metric) {
        List<String> exprs = DashboardMetrics.expressions(DashboardMetrics.dashboard()).stream()
                .filter(e -> DashboardMetrics.metricsIn(e).contains(metric))
                .toList();
        assertEquals(1, exprs.size(), "one panel expression with " + metric + ": " + exprs);
        return exprs.get(0);
    }

    /** The value of each series by its pod label, once Prometheus has scraped. */
    private static Map<String, String> perPod(PrometheusServer prometheus, String expr) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            JsonNode answer = prometheus.query(expr);
            assertEquals("success", answer.path("status").asText(), answer.toString());
            Map<String, String> values = new java.util.TreeMap<>();
            answer.path("data")
                    .path("result")
                    .forEach(r -> values.put(
                            r.path("metric").path("pod").asText(),
                            r.path("value").get(1).asText()));
            if (!values.isEmpty() || System.nanoTime() > deadline) {
                return values;
            }
            PrometheusServer.sleep(500);
        }
    }

    /** A real Prometheus scraping one endpoint of this JVM. */
    private static PrometheusServer scraping(Path dir, String job, HttpServer endpoint, String path) {
        return PrometheusServer.start(
                dir,
                List.of(new PrometheusServer.ScrapeJob(
                        job, path, List.of("127.0.0.1:" + endpoint.getAddress().getPort()))));
    }

    private static HttpServer serve(String body, String path) throws java.io.IOException {
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        endpoint.start();
        return endpoint;
    }

    @Test
    void variablesAreSubstitutedAsGrafanaDoes() {
        Map<String, String> values = Map.of("experiment", "e1", "strategy", "freeze|full");
        assertEquals(
                "x{experiment=~\"e1\", strategy=~\"freeze|full\"}[1m]",
                DashboardQueries.substitute(
                        "x{experiment=~\"$experiment\", strategy=~\"${strategy}\"}[$__rate_interval]", values));
        assertEquals("y{s=~\"freeze|full\"}", DashboardQueries.substitute("y{s=~\"[[strategy]]\"}", values));
        assertThrows(IllegalArgumentException.class, () -> DashboardQueries.substitute("z{a=\"$unknown\"}", values));
        // Every query of the real dashboard can be substituted with its two variables.
        for (String expr : DashboardMetrics.expressions(DashboardMetrics.dashboard())) {
            assertTrue(!DashboardQueries.substitute(expr, values).contains("$"), expr);
        }
    }

    static JsonNode dashboard(List<String> exprs, List<String> variableQueries) {
        var root = DeployFiles.JSON.createObjectNode();
        var panels = root.putArray("panels");
        for (int i = 0; i < exprs.size(); i++) {
            var panel = panels.addObject().put("title", "p" + i);
            panel.putArray("targets").addObject().put("expr", exprs.get(i));
        }
        var list = root.putObject("templating").putArray("list");
        for (int i = 0; i < variableQueries.size(); i++) {
            list.addObject()
                    .put("name", "v" + i)
                    .put("type", "query")
                    .putObject("query")
                    .put("query", variableQueries.get(i));
        }
        return root;
    }
}
