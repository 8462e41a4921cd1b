package dev.tlab.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.api.Views;
import dev.tlab.datafiles.Checksums;
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
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
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

    /** The experiment's kept models (best first) with their sha256 and download links. */
    public Optional<Views.Models> models(UUID experimentId) {
        return get("/experiments/" + experimentId + "/models", new TypeReference<Views.Models>() {});
    }

    /**
     * Downloads a model to {@code target} and checks it: the bytes' sha256 must be {@code expectedSha256} (what the
     * trainer reported) and the service's {@code X-Model-Sha256} header. Written under a temporary name and moved into
     * place only when it matches, so a failed download never leaves a file that looks like the model.
     *
     * @return the verified sha256
     */
    public String download(String href, String expectedSha256, java.nio.file.Path target) {
        java.nio.file.Path folder = target.toAbsolutePath().getParent();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + href))
                .timeout(Duration.ofMinutes(30))
                .build();
        java.nio.file.Path tmp = null;
        try {
            java.nio.file.Files.createDirectories(folder);
            tmp = java.nio.file.Files.createTempFile(folder, ".download-", ".part");
            HttpResponse<java.nio.file.Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                String body = java.nio.file.Files.readString(tmp);
                throw new IllegalStateException("GET " + href + " answered " + response.statusCode() + ": " + body);
            }
            String actual = Checksums.sha256Hex(tmp);
            String header = response.headers().firstValue("X-Model-Sha256").orElse(null);
            if (!actual.equals(expectedSha256) || header != null && !header.equals(expectedSha256)) {
                throw new IllegalStateException(
                        "the downloaded model has sha256 " + actual + " but the trainer reported "
                                + expectedSha256 + (header == null ? "" : " (the service says " + header + ")")
                                + "; it was not saved");
            }
            java.nio.file.Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return actual;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UnreachableException("could not download " + baseUrl + href + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (tmp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover .part file is harmless
                }
            }
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
