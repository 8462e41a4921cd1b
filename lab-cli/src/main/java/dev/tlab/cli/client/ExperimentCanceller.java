package dev.tlab.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Cancels an experiment through the dataset service's {@code DELETE /experiments/{id}}. */
public final class ExperimentCanceller {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String datasetUrl;
    private final String token;

    /** @param token the dataset service's trigger token, or null/blank when it requires none */
    public ExperimentCanceller(String datasetUrl, String token) {
        this.datasetUrl = datasetUrl.endsWith("/") ? datasetUrl.substring(0, datasetUrl.length() - 1) : datasetUrl;
        this.token = token;
    }

    public ServiceAnswer cancel(UUID experimentId, String reason) {
        String query = reason == null || reason.isBlank()
                ? ""
                : "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(datasetUrl + "/experiments/" + experimentId + query))
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .DELETE();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        try {
            return ServiceAnswer.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UnreachableException("the dataset service at " + datasetUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
