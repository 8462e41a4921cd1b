package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiException;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.comparison.ExperimentComparison;
import dev.tlab.results.domain.ResultsStore;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parses experiment ids from paths: a canonical UUID, else 400; unknown, 404. */
public final class Ids {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {}

    public static UUID parse(String id) {
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "id",
                    "experiment id must be a UUID such as " + "00000000-0000-4000-8000-000000000001, was '"
                            + abbreviate(id) + "'");
        }
        return UUID.fromString(id);
    }

    public static Views.Experiment experiment(ResultsStore store, String id) {
        UUID experimentId = parse(id);
        return store.find(experimentId).orElseThrow(() -> notFound(store, experimentId));
    }

    /** The experiment's comparison (and its view with the leaderboard's verdict); 400 / 404 as above. */
    public static ExperimentComparison comparison(Comparisons comparisons, ResultsStore store, String id) {
        UUID experimentId = parse(id);
        return comparisons.find(experimentId).orElseThrow(() -> notFound(store, experimentId));
    }

    private static ApiException notFound(ResultsStore store, UUID experimentId) {
        return ApiException.notFound(
                "id",
                store.isUnknown(experimentId)
                        ? "no experiment " + experimentId
                                + ": only trainers' events name it, no job of the dataset service does;"
                                + " they are kept apart under GET /unknown-experiments"
                        : "no experiment " + experimentId + " (no event about it yet)");
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
