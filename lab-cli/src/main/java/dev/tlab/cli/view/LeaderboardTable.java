package dev.tlab.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The notebook's final table (strategy, test accuracy) with parameter counts, and the best strategy. */
public final class LeaderboardTable {
    private LeaderboardTable() {
    }

    /** Renders the results service's {@code /experiments/{id}/leaderboard} answer. */
    public static String render(JsonNode leaderboard) {
        StringBuilder out = new StringBuilder();
        boolean synthetic = leaderboard.path("synthetic").asBoolean(false);
        out.append(String.format(Locale.ROOT, "Experiment %s  dataset %s%s  state %s%n",
                leaderboard.path("experimentId").asText(), leaderboard.path("dataset").asText("?"),
                synthetic ? " (SYNTHETIC data, not CIFAR-10)" : "", leaderboard.path("state").asText()));
        out.append(String.format(Locale.ROOT, "%-4s %-24s %-10s %15s %28s%n", "rank", "strategy", "state",
                "test accuracy", "trainable / total params"));
        out.append("=".repeat(85)).append('\n');
        for (JsonNode row : leaderboard.path("rows")) {
            String accuracy = row.path("testAccuracy").isNumber()
                    ? String.format(Locale.ROOT, "%.2f%%", 100 * row.path("testAccuracy").asDouble()) : "-";
            if (row.path("seeds").asInt(1) > 1 && row.path("testAccuracyStd").isNumber()) {
                accuracy += String.format(Locale.ROOT, " ±%.2f", 100 * row.path("testAccuracyStd").asDouble());
            }
            String params = row.path("trainableParameters").isNumber()
                    ? String.format(Locale.ROOT, "%,d / %,d", row.path("trainableParameters").asLong(),
                            row.path("totalParameters").asLong()) : "-";
            out.append(String.format(Locale.ROOT, "%-4s %-24s %-10s %15s %28s%n",
                    row.path("rank").isNumber() ? row.path("rank").asText() : "-", row.path("strategy").asText(),
                    row.path("state").asText(), accuracy, params));
        }
        JsonNode best = leaderboard.path("best");
        out.append('\n');
        if (best.isObject()) {
            out.append(String.format(Locale.ROOT, "Best strategy: %s (%.2f%%)%n", best.path("strategy").asText(),
                    100 * best.path("testAccuracy").asDouble()));
        } else {
            out.append("Best strategy: none completed yet\n");
        }
        return out.toString();
    }
}
