package dev.tlab.trainer.data;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.trainer.engine.PermanentFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a job's manifest and its data from the dataset service, verifies each file's sha256 against the manifest
 * and keeps verified copies in a cache folder, so a redelivered job or the next strategy does not fetch them again.
 */
public final class DatasetClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Path cache;

    public DatasetClient(Path cache) {
        this.cache = cache;
    }

    public DatasetManifest manifest(String manifestUrl) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(manifestUrl))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new DataUnavailableException("the dataset service answered " + response.statusCode()
                        + " for the manifest " + manifestUrl);
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
    public Path trainingRecords(DatasetManifest manifest) {
        return verifiedCopy(manifest.trainDataUrl(), manifest.subsetDigest(), "train-" + manifest.subsetDigest() + ".bin");
    }

    /** The test records, verified against {@code manifest.testDigest()}. */
    public Path testRecords(DatasetManifest manifest) {
        return verifiedCopy(manifest.testDataUrl(), manifest.testDigest(), "test-" + manifest.testDigest() + ".bin");
    }

    private Path verifiedCopy(String url, String expectedSha256, String fileName) {
        Path target = cache.resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target; // named by its digest and only ever written after verification
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, fileName, ".part");
            try {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new DataUnavailableException("the dataset service answered " + response.statusCode() + " for " + url);
                }
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream body = new DigestInputStream(response.body(), sha256)) {
                    Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(expectedSha256)) {
                    throw new DataIntegrityException("data from " + url + " has sha256 " + actual
                            + " but the manifest says " + expectedSha256 + "; refusing to train on it");
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new DataUnavailableException("cannot fetch " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataUnavailableException("interrupted while fetching " + url, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    /** Data whose bytes do not match the digest of its manifest: fetching it again gives the same damaged bytes. */
    public static class DataIntegrityException extends DataUnavailableException implements PermanentFailure {
        public DataIntegrityException(String message) {
            super(message);
        }
    }

}
