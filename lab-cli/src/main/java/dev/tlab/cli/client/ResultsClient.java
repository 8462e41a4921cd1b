package dev.tlab.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Reads experiments and leaderboards from the results service's REST API, typed by the contracts' {@link Views}. */
public final class ResultsClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String baseUrl;

    public ResultsClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Views.Page<Views.Summary> experiments(int page, int size) {
        return get("/experiments?page=" + page + "&size=" + size, new TypeReference<Views.Page<Views.Summary>>() {
        }).orElseThrow();
    }

    /** The experiment, or empty while the results service has not seen it yet. */
    public Optional<Views.Experiment> experiment(UUID experimentId) {
        return get("/experiments/" + experimentId, new TypeReference<Views.Experiment>() {
        });
    }

    public Optional<Views.Leaderboard> leaderboard(UUID experimentId) {
        return get("/experiments/" + experimentId + "/leaderboard", new TypeReference<Views.Leaderboard>() {
        });
    }

    public String pageUrl(UUID experimentId) {
        return baseUrl + "/experiments/" + experimentId + "/view";
    }

    /** Fields the service may add later are ignored (EventCodec's mapper does not fail on unknown properties). */
    private <T> Optional<T> get(String path, TypeReference<T> type) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Optional.of(EventCodec.mapper().readValue(response.body(), type));
        } catch (IOException e) {
            throw new UnreachableException("the results service at " + baseUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
