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
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/q/metrics", exchange -> {
            byte[] body = METRICS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
        try (PrometheusServer prometheus = PrometheusServer.start(
                dir,
                List.of(new PrometheusServer.ScrapeJob(
                        "demo",
                        "/q/metrics",
                        List.of("127.0.0.1:" + endpoint.getAddress().getPort()))))) {
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
