package dev.tlab.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Fields;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.VerifiedDownload;
import dev.tlab.trainer.engine.PermanentFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fetches a job's manifest and its data from the dataset service and keeps copies in a cache folder (named by their
 * sha256, read-only), so a redelivered job or the next strategy does not fetch them again. The bytes a job trains on
 * are verified against the manifest every time they are used, whether they come from the network or the cache: a
 * damaged cached copy is dropped and fetched again, and data that does not match its manifest is refused.
 *
 * <p>Requests go only to the dataset service ({@code tlab.trainer.dataset-url}): a job names its manifest's URL and the
 * manifest names its data URLs, and whoever may write a job could otherwise make the trainer send its reader token
 * anywhere. A URL on another origin (scheme, host and port) fails the job before any request, and redirects are not
 * followed (a redirect would carry the token to wherever it points).
 */
public final class DatasetClient {
    private static final Logger LOG = Logger.getLogger(DatasetClient.class);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final VerifiedDownload downloads = new VerifiedDownload(http);
    private final Path cache;
    /** Sent as a bearer token: the dataset service's reader token (tlab.trainer.dataset-token). */
    private final Optional<String> token;
    /** The dataset service's base URL (tlab.trainer.dataset-url): the only origin requests and the token go to. */
    private final URI datasetService;

    /**
     * @param datasetUrl the dataset service's base URL (tlab.trainer.dataset-url); only its scheme, host and port count
     * @throws IllegalArgumentException when it is not an absolute http(s) URL with a host
     */
    public DatasetClient(Path cache, Optional<String> token, String datasetUrl) {
        URI service = parsed(datasetUrl);
        if (service == null || service.getHost() == null || !isHttp(service)) {
            throw new IllegalArgumentException(
                    "tlab.trainer.dataset-url must be an http(s) URL with a host, was " + Fields.quote(datasetUrl));
        }
        this.cache = cache;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        this.datasetService = service;
    }

    /** Every request is built here, so none goes anywhere but the dataset service. */
    private HttpRequest.Builder request(String url, String field) {
        HttpRequest.Builder request = HttpRequest.newBuilder(onDatasetService(url, field));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    /**
     * The URL, when it is on the dataset service's origin.
     *
     * @param field where the URL comes from, named in the failure ({@code manifestUrl}, {@code trainDataUrl}...)
     * @throws DataOriginException when it is not, or is no URL
     */
    URI onDatasetService(String url, String field) {
        URI uri = parsed(url);
        if (uri == null) {
            throw new DataOriginException(field + " " + Fields.quote(url) + " is not a URL; " + allowed());
        }
        if (uri.getHost() == null
                || !isHttp(uri)
                || !uri.getScheme().equalsIgnoreCase(datasetService.getScheme())
                || !uri.getHost().equalsIgnoreCase(datasetService.getHost())
                || port(uri) != port(datasetService)) {
            throw new DataOriginException(
                    field + " " + Fields.quote(url) + " is not on the dataset service; " + allowed());
        }
        return uri;
    }

    private String allowed() {
        return "the trainer sends requests and its reader token only to " + datasetService.getScheme() + "://"
                + datasetService.getHost() + ":" + port(datasetService)
                + " (tlab.trainer.dataset-url), so it refuses this job";
    }

    /** The URL as a URI, null when it is none. */
    private static URI parsed(String url) {
        try {
            return url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The job's manifest, once it and the data URLs it names are known to be on the dataset service: a job that points
     * elsewhere fails here, before any request is sent anywhere.
     */
    public DatasetManifest manifest(String manifestUrl) {
        DatasetManifest manifest = fetchManifest(manifestUrl);
        onDatasetService(manifest.trainDataUrl(), "the manifest's trainDataUrl");
        onDatasetService(manifest.testDataUrl(), "the manifest's testDataUrl");
        return manifest;
    }

    private DatasetManifest fetchManifest(String manifestUrl) {
        HttpRequest request = request(manifestUrl, "the job's manifestUrl")
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new DataUnavailableException("the dataset service answered " + response.statusCode()
                        + " for the manifest " + manifestUrl + reason(response.body()));
            }
            return EventCodec.fromJson(response.body(), DatasetManifest.class);
        } catch (IOException e) {
            throw new DataUnavailableException("cannot fetch the manifest " + manifestUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataUnavailableException("interrupted while fetching " + manifestUrl, e);
        }
    }

    /** The subset's training records, verified against {@code manifest.subsetDigest()}. */
    public CifarRecords trainingRecords(DatasetManifest manifest) {
        return verified(
                manifest.trainDataUrl(),
                "the manifest's trainDataUrl",
                manifest.subsetDigest(),
                "train-" + manifest.subsetDigest() + ".bin");
    }

    /** The test records, verified against {@code manifest.testDigest()}. */
    public CifarRecords testRecords(DatasetManifest manifest) {
        return verified(
                manifest.testDataUrl(),
                "the manifest's testDataUrl",
                manifest.testDigest(),
                "test-" + manifest.testDigest() + ".bin");
    }

    private CifarRecords verified(String url, String field, String expectedSha256, String fileName) {
        VerifiedDownload.Digest expected = VerifiedDownload.Digest.sha256(expectedSha256);
        Path cached = cache.resolve(fileName);
        if (Files.isRegularFile(cached)) {
            byte[] bytes = read(cached);
            if (expected.matches(bytes)) {
                return CifarRecords.fromBytes(bytes);
            }
            LOG.warnf(
                    "the cached copy %s is damaged (sha256 %s, expected %s); it is dropped and fetched again from %s",
                    cached, Checksums.sha256Hex(bytes), expectedSha256, url);
            delete(cached);
        }
        try {
            downloads.fetch(request(url, field).timeout(Duration.ofMinutes(30)).build(), cached, expected);
        } catch (VerifiedDownload.Mismatch e) {
            throw new DataIntegrityException("data from " + url + " has sha256 " + e.actual()
                    + " but the manifest says " + expectedSha256 + "; refusing to train on it");
        } catch (VerifiedDownload.Failure e) {
            throw new DataUnavailableException(
                    e.status() == 0
                            ? "cannot fetch " + url + ": " + e.getMessage()
                            : "the dataset service answered " + e.status() + " for " + url + reason(e.body()),
                    e);
        }
        // the bytes trained on are the ones checked: verified again as read, in case the file changed since
        byte[] bytes = read(cached);
        if (!expected.matches(bytes)) {
            throw new DataUnavailableException("the cached copy " + cached + " changed right after it was verified");
        }
        return CifarRecords.fromBytes(bytes);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataUnavailableException("cannot read the cached copy " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new DataUnavailableException(
                    "cannot drop the damaged cached copy " + file + ": " + e.getMessage(), e);
        }
    }

    /** The dataset service's {field, reason} error body, as the end of a message. */
    private static String reason(String body) {
        try {
            JsonNode error = EventCodec.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
            String reason = error.path("reason").asText("");
            return reason.isEmpty() ? "" : ": " + (reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason);
        } catch (IOException e) {
            return "";
        }
    }

    /** Thrown for data that cannot be had or does not match its manifest. */
    public static class DataUnavailableException extends RuntimeException {
        public DataUnavailableException(String message) {
            super(message);
        }

        public DataUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A manifest or data URL that is not on the dataset service (or is no URL): the job names it, so every attempt
     * would be refused the same way.
     */
    public static class DataOriginException extends DataUnavailableException implements PermanentFailure {
        public DataOriginException(String message) {
            super(message);
        }
    }

    /** Data whose bytes do not match the digest of its manifest: fetching it again gives the same damaged bytes. */
    public static class DataIntegrityException extends DataUnavailableException implements PermanentFailure {
        public DataIntegrityException(String message) {
            super(message);
        }
    }
}
