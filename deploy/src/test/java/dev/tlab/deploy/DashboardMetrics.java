package dev.tlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus metric names that the Grafana dashboard ({@code deploy/grafana/tlab-dashboard.json}) queries, read
 * from the dashboard itself (every panel target's {@code expr} and every template variable's query), so that a test can
 * compare them with what the running services expose on {@code /q/metrics}.
 *
 * <p>The names are the exposed series names, e.g. {@code tl_trainer_epoch_seconds_sum} for a Micrometer timer
 * {@code tl.trainer.epoch}, and {@code tl_trainer_jobs_completed_total} for a counter.
 *
 * <p>Use from another module through the deploy module's test-jar ({@code dev.tlab:deploy:test-jar}); the dashboard
 * JSON is on its classpath as {@value #RESOURCE}.
 */
public final class DashboardMetrics {

    /** Owner of the broker-side consumer-group metrics: Strimzi's Kafka Exporter, not one of the lab's services. */
    public static final String KAFKA_EXPORTER = "kafka-exporter";

    /** Owner of the GPU metrics ({@code DCGM_FI_*}): NVIDIA's DCGM exporter on the GPU nodes, not one of the lab's. */
    public static final String DCGM_EXPORTER = "dcgm-exporter";

    /** Classpath location of the dashboard (copied there from deploy/grafana by the deploy module's build). */
    public static final String RESOURCE = "/dev/tlab/deploy/tlab-dashboard.json";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> PROMQL_WORDS = Set.of(
            // aggregations and their modifiers
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "atan2",
            // functions
            "abs",
            "absent",
            "absent_over_time",
            "ceil",
            "changes",
            "clamp",
            "clamp_max",
            "clamp_min",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "delta",
            "deriv",
            "exp",
            "floor",
            "histogram_quantile",
            "holt_winters",
            "hour",
            "idelta",
            "increase",
            "irate",
            "label_join",
            "label_replace",
            "ln",
            "log2",
            "log10",
            "minute",
            "month",
            "predict_linear",
            "rate",
            "resets",
            "round",
            "scalar",
            "sgn",
            "sort",
            "sort_desc",
            "sqrt",
            "time",
            "timestamp",
            "vector",
            "year",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "quantile_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "last_over_time",
            "present_over_time",
            "inf",
            "nan",
            "label_values");

    private DashboardMetrics() {}

    /** Metric names queried by the dashboard on the classpath, sorted. */
    public static Set<String> names() {
        return names(dashboard());
    }

    /** Metric names queried by the given dashboard JSON, sorted. */
    public static Set<String> names(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            names.addAll(metricsIn(expr));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText("") : query.asText("");
            if ("query".equals(variable.path("type").asText())) {
                Matcher m = LABEL_VALUES.matcher(text);
                if (m.find()) {
                    names.add(m.group(1)); // the rest is a label matcher and the label name
                } else {
                    names.addAll(metricsIn(text));
                }
            }
        }
        return names;
    }

    /**
     * Which service is expected to expose each metric: {@code dataset-service}, {@code results-service},
     * {@code trainer-service}, {@value #KAFKA_EXPORTER} for the broker-side consumer-group lag, {@value #DCGM_EXPORTER}
     * for the GPUs, or {@code any} for the Kafka client metrics that every consuming service reports.
     */
    public static Map<String, String> byService() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String name : names()) {
            owners.put(name, owner(name));
        }
        return owners;
    }

    public static String owner(String metric) {
        if (metric.startsWith("kafka_consumergroup_")) {
            return KAFKA_EXPORTER;
        }
        if (metric.startsWith("DCGM_")) {
            return DCGM_EXPORTER;
        }
        if (metric.startsWith("tl_trainer_")) {
            return "trainer-service";
        }
        if (metric.startsWith("tlab_dataset_") || metric.startsWith("tl_dataset_")) {
            return "dataset-service";
        }
        if (metric.startsWith("tl_")) {
            return "results-service";
        }
        return "any";
    }

    /**
     * Whether a metric comes from an exporter of the cluster (Strimzi's Kafka Exporter, NVIDIA's DCGM exporter) rather
     * than from a service of the lab: a local stack runs none of them, so its expressions can only be required to be
     * valid there, not to return series.
     */
    public static boolean fromClusterExporter(String metric) {
        String owner = owner(metric);
        return owner.equals(KAFKA_EXPORTER) || owner.equals(DCGM_EXPORTER);
    }

    /** One query of the dashboard: the panel's title and the target's PromQL expression (template variables in it). */
    public record Target(String panel, String expr) {}

    /** Every panel target's PromQL expression, panels nested in rows included. */
    public static List<String> expressions(JsonNode dashboard) {
        return targets(dashboard).stream().map(Target::expr).toList();
    }

    /** Every panel target, panels nested in rows included. */
    public static List<Target> targets(JsonNode dashboard) {
        List<Target> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    /** The dashboard on the classpath (see {@link #RESOURCE}). */
    public static JsonNode dashboard() {
        try (InputStream in = DashboardMetrics.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (is the deploy test-jar there?)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode panels, List<Target> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    out.add(new Target(panel.path("title").asText(), expr));
                }
            }
            collect(panel.path("panels"), out);
        }
    }

    /** Metric identifiers in one PromQL expression: label matchers, grouping labels, ranges and strings removed. */
    public static Set<String> metricsIn(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ") // string literals
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // range / subquery selectors
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?", " ") // Grafana variables
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?[smhdwy]?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!PROMQL_WORDS.contains(word.toLowerCase()) && !call) {
                names.add(word);
            }
        }
        return names;
    }
}
