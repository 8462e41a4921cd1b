package dev.tlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The dashboard parses, every panel queries something, and the metric names are the planned ones. */
class DashboardTest {

    /** What the services are to expose; a dashboard change that queries anything else must change this list. */
    static final Set<String> EXPECTED = Set.of(
            "tl_strategy_epoch_loss",
            "tl_strategy_train_accuracy",
            "tl_strategy_test_accuracy",
            "tl_strategy_macro_f1",
            "tl_strategy_expected_calibration_error",
            "tl_strategy_device_seconds",
            "tl_strategy_train_images_per_second",
            "tl_strategy_peak_memory_bytes",
            "tl_strategy_points_per_device_hour",
            "tl_experiment_best_significant",
            "tl_experiments",
            "tl_events_consumed_total",
            "tl_events_duplicate_total",
            "tl_trainer_images_per_second",
            "tl_trainer_epoch_seconds_sum",
            "tl_trainer_epoch_seconds_count",
            "tl_trainer_epoch_seconds_max",
            "tl_trainer_data_wait_seconds_sum",
            "tl_trainer_jobs_active",
            "tl_trainer_jobs_completed_total",
            "tl_trainer_jobs_failed_total",
            "tl_trainer_jobs_interrupted_total",
            "tlab_dataset_manifests_published_total",
            "tlab_dataset_jobs_published_total",
            "tlab_dataset_subset_build_seconds_sum",
            "tlab_dataset_subset_build_seconds_count",
            "tlab_dataset_bytes_served_bytes_total",
            "tlab_dataset_requests_rejected_total",
            "kafka_consumergroup_lag",
            "DCGM_FI_DEV_GPU_UTIL",
            "DCGM_FI_DEV_FB_USED");

    static JsonNode dashboard() throws Exception {
        return DeployFiles.JSON.readTree(
                DeployFiles.deployDir().resolve("grafana/tlab-dashboard.json").toFile());
    }

    @Test
    void everyPanelHasAQueryAndUniqueId() throws Exception {
        JsonNode dashboard = dashboard();
        Set<Integer> ids = new HashSet<>();
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            assertFalse(panel.path("targets").isEmpty(), "panel without query: " + panel.path("title"));
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText("").isBlank(), "empty query in " + panel.path("title"));
            }
        }
        assertTrue(panels >= 8, "panels: " + panels);
    }

    @Test
    void experimentAndStrategyVariablesFilterTheStrategyPanels() throws Exception {
        JsonNode dashboard = dashboard();
        Set<String> variables = new TreeSet<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.containsAll(Set.of("experiment", "strategy")), "variables " + variables);
        for (String expr : DashboardMetrics.expressions(dashboard)) {
            if (expr.contains("tl_strategy_")) {
                assertTrue(expr.contains("$experiment") && expr.contains("$strategy"), expr);
            }
        }
    }

    @Test
    void metricNamesAreThePlannedOnes() throws Exception {
        Set<String> fromFile = DashboardMetrics.names(dashboard());
        assertEquals(new TreeSet<>(EXPECTED), fromFile);
        assertEquals(fromFile, DashboardMetrics.names(), "the classpath copy of the dashboard is stale");
        Map<String, String> owners = DashboardMetrics.byService();
        assertEquals(
                Set.of(
                        "dataset-service",
                        "results-service",
                        "trainer-service",
                        DashboardMetrics.KAFKA_EXPORTER,
                        DashboardMetrics.DCGM_EXPORTER),
                new HashSet<>(owners.values()));
        assertTrue(DashboardMetrics.fromClusterExporter("DCGM_FI_DEV_GPU_UTIL"));
        assertTrue(DashboardMetrics.fromClusterExporter("kafka_consumergroup_lag"));
        assertFalse(DashboardMetrics.fromClusterExporter("tl_trainer_jobs_active"));
    }

    @Test
    void metricExtractionIgnoresFunctionsLabelsAndVariables() {
        assertEquals(
                Set.of("a_total", "b_seconds_sum"),
                DashboardMetrics.metricsIn(
                        "sum by (strategy, le) (rate(a_total{x=~\"$experiment\"}[5m])) / ignoring(pod) max(b_seconds_sum) > 0.5"));
        assertEquals(Set.of("up"), DashboardMetrics.metricsIn("count without (instance) (up offset 1h)"));
    }

    @Test
    void metricsMatchTheServicesSourcesWhereTheyDeclareMeters() {
        // Drift check: once a service registers Micrometer meters, each dashboard metric it owns must appear in
        // its sources (dotted Micrometer form or Prometheus form). Skipped for services without meters yet.
        for (String service : List.of("dataset-service", "results-service", "trainer-service")) {
            String sources = DeployFiles.textUnder(
                    DeployFiles.repoRoot().resolve(service).resolve("src/main/java"), ".java");
            if (!sources.contains("MeterRegistry") && !sources.contains("io.micrometer")) {
                continue;
            }
            for (String metric : DashboardMetrics.names()) {
                if (DashboardMetrics.owner(metric).equals(service)) {
                    assertTrue(
                            candidates(metric).stream().anyMatch(sources::contains),
                            service + " does not declare " + metric + " (looked for " + candidates(metric) + ")");
                }
            }
        }
    }

    static List<String> candidates(String metric) {
        String base = metric.replaceFirst("_(total|sum|count|max|bucket)$", "");
        String noUnit = base.replaceFirst("_(seconds|bytes)$", "");
        return List.of(base, base.replace('_', '.'), noUnit.replace('_', '.') + "\"");
    }

    static Path file() {
        return DeployFiles.deployDir().resolve("grafana/tlab-dashboard.json");
    }
}
