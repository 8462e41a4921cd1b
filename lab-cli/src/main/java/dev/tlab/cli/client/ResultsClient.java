package dev.tlab.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads experiments and leaderboards from the results service's REST API, typed by the contracts' {@link Views}. */
public final class ResultsClient {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final VerifiedDownload downloads = new VerifiedDownload(http);
    private final String baseUrl;

    public ResultsClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Views.Page<Views.Summary> experiments(int page, int size) {
        return get("/experiments?page=" + page + "&size=" + size, new TypeReference<Views.Page<Views.Summary>>() {})
                .orElseThrow();
    }

    /** The experiment, or empty while the results service has not seen it yet. */
    public Optional<Views.Experiment> experiment(UUID experimentId) {
        return get("/experiments/" + experimentId, new TypeReference<Views.Experiment>() {});
    }

    public Optional<Views.Leaderboard> leaderboard(UUID experimentId) {
        return get("/experiments/" + experimentId + "/leaderboard", new TypeReference<Views.Leaderboard>() {});
    }

    /** The comparison (verdict, per-class results, paired tests, cost), or empty for an unknown experiment. */
    public Optional<Views.Comparison> comparison(UUID experimentId) {
        return get("/experiments/" + experimentId + "/comparison", new TypeReference<Views.Comparison>() {});
    }

    /** What a report may be at most: every table and chart of a page, not a download of data. */
    static final VerifiedDownload.Limits REPORT_LIMITS = new VerifiedDownload.Limits(64L << 20, Duration.ofMinutes(2));

    /**
     * Saves the experiment's report ({@code report.html} or {@code report.md}) to {@code target} with data-files'
     * {@link VerifiedDownload}: written aside and moved into place once complete, so a failed download never leaves a
     * half report. The service computes the report when asked, so there is no digest to check against.
     *
     * @return false when the service knows no such experiment (nothing is written)
     */
    public boolean report(UUID experimentId, String format, Path target) {
        String path = "/experiments/" + experimentId + "/report." + format;
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).build();
        try {
            downloads.fetch(request, target, new VerifiedDownload.Digest("SHA-256", null), REPORT_LIMITS);
            return true;
        } catch (VerifiedDownload.Failure e) {
            if (e.status() == 0) {
                throw new UnreachableException(
                        "the results service at " + baseUrl + " is not reachable: " + e.getMessage(), e);
            }
            if (e.status() == 404) {
                return false;
            }
            throw new IllegalStateException("GET " + path + " answered " + e.status() + ": " + e.body());
        }
    }

    /** The experiment's kept models (best first) with their sha256 and download links. */
    public Optional<Views.Models> models(UUID experimentId) {
        return get("/experiments/" + experimentId + "/models", new TypeReference<Views.Models>() {});
    }

    /**
     * Downloads a model to {@code target} with data-files' {@link VerifiedDownload}: written aside, kept only when its
     * bytes hash to {@code expectedSha256} (what the trainer reported), so a failed or wrong download never leaves a
     * file that looks like the model.
     *
     * @return the verified sha256
     * @throws IllegalStateException when the service refuses, the bytes are not the model, or no digest was reported
     * @throws UnreachableException when the service does not answer
     */
    public String download(String href, String expectedSha256, Path target) {
        if (expectedSha256 == null || !SHA256.matcher(expectedSha256).matches()) {
            // without a digest nothing could be verified: refuse rather than save unchecked bytes
            throw new IllegalStateException("the results service reported no valid sha256 for " + href + " (was "
                    + expectedSha256 + "); nothing was downloaded");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + href))
                .timeout(Duration.ofMinutes(30))
                .build();
        try {
            downloads.fetch(request, target, VerifiedDownload.Digest.sha256(expectedSha256));
            return expectedSha256;
        } catch (VerifiedDownload.Mismatch e) {
            throw new IllegalStateException("the downloaded model has sha256 " + e.actual()
                    + " but the trainer reported " + expectedSha256 + "; it was not saved");
        } catch (VerifiedDownload.Failure e) {
            if (e.status() == 0) {
                throw new UnreachableException("could not download " + baseUrl + href + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("GET " + href + " answered " + e.status() + ": " + e.body());
        }
    }

    public String pageUrl(UUID experimentId) {
        return baseUrl + "/experiments/" + experimentId + "/view";
    }

    /** Fields the service may add later are ignored (EventCodec's mapper does not fail on unknown properties). */
    private <T> Optional<T> get(String path, TypeReference<T> type) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET " + path + " answered " + response.statusCode() + ": " + response.body());
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
