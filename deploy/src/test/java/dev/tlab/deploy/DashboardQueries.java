package dev.tlab.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates every query of the Grafana dashboard through a real Prometheus's HTTP API, with the template variables
 * substituted as Grafana would: each panel expression must parse and return at least one series, and each
 * {@code label_values(...)} variable must offer values.
 *
 * <p>Used from other modules through the deploy module's test-jar ({@code dev.tlab:deploy:test-jar}).
 */
public final class DashboardQueries {

    /** A query that failed: where it comes from, the query as sent, and why. */
    public record Problem(String source, String query, String reason) {
        public boolean invalid() {
            return reason.startsWith("invalid");
        }

        @Override
        public String toString() {
            return source + ": " + reason + " — " + query;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)");

    private DashboardQueries() {}

    /** A query with Grafana's variables replaced: the given values, and Grafana's built-in intervals. */
    public static String substitute(String query, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = switch (name) {
                case "__rate_interval", "__interval" -> "1m";
                case "__range" -> "1h";
                default -> values.get(name);
            };
            if (value == null) {
                throw new IllegalArgumentException("no value for dashboard variable $" + name + " in " + query);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /**
     * Every query once. {@code mayBeEmpty} names panel expressions allowed to have no series (still required to be
     * valid PromQL), e.g. those of a component that a local stack does not run.
     */
    public static List<Problem> check(
            PrometheusServer prometheus, JsonNode dashboard, Map<String, String> values, Predicate<String> mayBeEmpty) {
        List<Problem> problems = new ArrayList<>();
        for (DashboardMetrics.Target target : DashboardMetrics.targets(dashboard)) {
            String query = substitute(target.expr(), values);
            JsonNode answer = prometheus.query(query);
            if (!"success".equals(answer.path("status").asText())) {
                problems.add(new Problem(
                        "panel \"" + target.panel() + "\"",
                        query,
                        "invalid: " + answer.path("error").asText(answer.toString())));
            } else if (answer.path("data").path("result").isEmpty() && !mayBeEmpty.test(target.expr())) {
                problems.add(new Problem("panel \"" + target.panel() + "\"", query, "no series"));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode q = variable.path("query");
            String text = q.isObject() ? q.path("query").asText() : q.asText();
            Matcher m = LABEL_VALUES.matcher(text);
            String source = "variable $" + variable.path("name").asText();
            if (!m.matches()) {
                problems.add(new Problem(source, text, "invalid: only label_values(selector, label) is checked here"));
                continue;
            }
            String selector = substitute(m.group(1), values);
            JsonNode answer = prometheus.series(selector);
            if (!"success".equals(answer.path("status").asText())) {
                problems.add(new Problem(
                        source, selector, "invalid: " + answer.path("error").asText(answer.toString())));
                continue;
            }
            Set<String> labelValues = new HashSet<>();
            answer.path("data").forEach(series -> {
                if (series.hasNonNull(m.group(2))) {
                    labelValues.add(series.path(m.group(2)).asText());
                }
            });
            if (labelValues.isEmpty()) {
                problems.add(new Problem(source, selector, "no values of label " + m.group(2)));
            }
        }
        return problems;
    }

    /**
     * {@link #check} until nothing is missing any more or the time is up (a scrape, or two for rate(), must happen
     * after the data exists); returns the problems left. Invalid queries never recover and end the wait at once.
     */
    public static List<Problem> await(
            PrometheusServer prometheus,
            JsonNode dashboard,
            Map<String, String> values,
            Predicate<String> mayBeEmpty,
            Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            List<Problem> problems = check(prometheus, dashboard, values, mayBeEmpty);
            if (problems.stream().allMatch(Problem::invalid) || System.nanoTime() > deadline) {
                return problems;
            }
            PrometheusServer.sleep(1000);
        }
    }
}
