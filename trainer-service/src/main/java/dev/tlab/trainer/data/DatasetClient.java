package dev.tlab.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.Fields;
import dev.tlab.contracts.ImageIndex;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.VerifiedDownload;
import dev.tlab.trainer.engine.PermanentFailure;
import dev.tlab.trainer.engine.data.DecodedImageCache;
import dev.tlab.trainer.engine.data.EncodedImages;
import dev.tlab.trainer.engine.data.ImageFiles;
import dev.tlab.trainer.engine.data.LabelledImages;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    /** tlab.trainer.decoded-image-cache-bytes. */
    private final long decodedImageBytes;

    /**
     * @param datasetUrl the dataset service's base URL (tlab.trainer.dataset-url); only its scheme, host and port count
     * @throws IllegalArgumentException when it is not an absolute http(s) URL with a host
     */
    public DatasetClient(Path cache, Optional<String> token, String datasetUrl) {
        this(cache, token, datasetUrl, 0);
    }

    /**
     * @param decodedImageBytes the byte budget of decoded images a job of the user's images keeps in memory
     *     (tlab.trainer.decoded-image-cache-bytes; 0: none, every image is decoded every epoch)
     */
    public DatasetClient(Path cache, Optional<String> token, String datasetUrl, long decodedImageBytes) {
        URI service = parsed(datasetUrl);
        if (service == null || service.getHost() == null || !isHttp(service)) {
            throw new IllegalArgumentException(
                    "tlab.trainer.dataset-url must be an http(s) URL with a host, was " + Fields.quote(datasetUrl));
        }
        this.cache = cache;
        this.token = token.map(String::strip).filter(t -> !t.isEmpty());
        this.datasetService = service;
        this.decodedImageBytes = decodedImageBytes;
    }

    /**
     * The data of a job's manifest, fetched and verified: CIFAR-10 records, or for the user's images the index and
     * every image of the training subset and the test split (the decoded images of the job kept within the byte
     * budget).
     */
    public TrainingData trainingData(DatasetManifest manifest) {
        return trainingData(manifest, false);
    }

    /**
     * The same, with the validation split's images too when {@code withValidation} (a job that selects its epoch on
     * it); CIFAR-10 has no validation split.
     */
    public TrainingData trainingData(DatasetManifest manifest, boolean withValidation) {
        if (!manifest.ofImages()) {
            return new TrainingData(
                    LabelledImages.of(trainingRecords(manifest)), null, LabelledImages.of(testRecords(manifest)), null);
        }
        ImageIndex index = imageIndex(manifest);
        List<ImageIndex.Image> wanted = new ArrayList<>(index.subset());
        wanted.addAll(index.test());
        if (withValidation) {
            wanted.addAll(index.val());
        }
        EncodedImages files = images(manifest, wanted);
        // one budget for the job, shared by its training and test images; the job's end releases it
        DecodedImageCache decoded = new DecodedImageCache(decodedImageBytes);
        int classes = index.classes().size();
        return new TrainingData(
                new ImageFiles(entries(index.subset()), classes, files, decoded),
                withValidation ? new ImageFiles(entries(index.val()), classes, files, decoded) : null,
                new ImageFiles(entries(index.test()), classes, files, decoded),
                classes);
    }

    private static List<ImageFiles.Entry> entries(List<ImageIndex.Image> images) {
        return images.stream()
                .map(i -> new ImageFiles.Entry(i.sha256(), i.path(), i.label()))
                .toList();
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
        if (manifest.ofImages()) {
            onDatasetService(manifest.images().index().url(), "the manifest's images.index.url");
            onDatasetService(manifest.images().imagesUrl(), "the manifest's images.imagesUrl");
        } else {
            onDatasetService(manifest.trainDataUrl(), "the manifest's trainDataUrl");
            onDatasetService(manifest.testDataUrl(), "the manifest's testDataUrl");
        }
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

    /**
     * The index of a manifest of the user's images (every image by sha256, with its label and split), verified against
     * {@code manifest.images().index().sha256()} and cached like the CIFAR data.
     */
    public ImageIndex imageIndex(DatasetManifest manifest) {
        ImageManifest.Index index = manifest.images().index();
        byte[] bytes = verifiedBytes(
                index.url(), "the manifest's images.index.url", index.sha256(), "index-" + index.sha256() + ".json");
        ImageIndex parsed = EventCodec.fromBytes(bytes, ImageIndex.class);
        if (!parsed.classes().equals(manifest.classNames())) {
            throw new DataIntegrityException("the index of manifest " + manifest.manifestId() + " has classes "
                    + parsed.classes() + " but the manifest says " + manifest.classNames());
        }
        return parsed;
    }

    /**
     * Fetches every listed image that is not cached yet (each verified against its sha256, kept under it) and answers
     * their bytes from the cache, verified again as they are read: what a data thread decodes is what the index names.
     */
    public EncodedImages images(DatasetManifest manifest, List<ImageIndex.Image> images) {
        String base = manifest.images().imagesUrl().replaceAll("/+$", "");
        Set<String> fetched = new HashSet<>();
        for (ImageIndex.Image image : images) {
            if (fetched.add(image.sha256())) {
                verifiedBytes(
                        base + "/" + image.sha256(),
                        "the manifest's images.imagesUrl",
                        image.sha256(),
                        imageFile(image.sha256()));
                // the bytes are read again when a data thread decodes them, not held here
            }
        }
        return sha256 -> {
            byte[] bytes = read(cache.resolve(imageFile(sha256)));
            if (!Checksums.sha256Hex(bytes).equals(sha256)) {
                throw new DataUnavailableException(
                        "the cached image " + cache.resolve(imageFile(sha256)) + " no longer has sha256 " + sha256);
            }
            return bytes;
        };
    }

    private static String imageFile(String sha256) {
        return "images/" + sha256.substring(0, 2) + "/" + sha256;
    }

    private CifarRecords verified(String url, String field, String expectedSha256, String fileName) {
        return CifarRecords.fromBytes(verifiedBytes(url, field, expectedSha256, fileName));
    }

    private byte[] verifiedBytes(String url, String field, String expectedSha256, String fileName) {
        VerifiedDownload.Digest expected = VerifiedDownload.Digest.sha256(expectedSha256);
        Path cached = cache.resolve(fileName);
        if (Files.isRegularFile(cached)) {
            byte[] bytes = read(cached);
            if (expected.matches(bytes)) {
                return bytes;
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
        return bytes;
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
