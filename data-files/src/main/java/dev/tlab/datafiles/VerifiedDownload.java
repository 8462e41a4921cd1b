package dev.tlab.datafiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Download, verify the digest, then move into place: the file is written aside in the target's folder, checked, made
 * read-only and only then renamed to its final name (atomically where the file system can), so a reader never sees half
 * a file or one that failed its check. What to send (URL, token, timeout) is the caller's request; what a failure means
 * to its user is the caller's to say, from {@link Failure} and {@link Mismatch}.
 */
public final class VerifiedDownload {
    /** The most of an error body kept in a {@link Failure}: enough for a service's reason, never a whole file. */
    private static final int ERROR_BODY_LIMIT = 4096;

    private final HttpClient http;

    public VerifiedDownload(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Follows redirects (dataset mirrors and model hosts redirect), gives up connecting after 30 s. */
    public static VerifiedDownload withDefaultClient() {
        return new VerifiedDownload(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    /**
     * What the downloaded bytes must hash to.
     *
     * @param algorithm a {@link java.security.MessageDigest} name ({@code SHA-256}, {@code MD5})
     * @param hex the expected digest; null when there is nothing to check against
     */
    public record Digest(String algorithm, String hex) {
        public Digest {
            Objects.requireNonNull(algorithm, "algorithm");
            hex = hex == null ? null : hex.toLowerCase(Locale.ROOT);
        }

        public static Digest sha256(String hex) {
            return new Digest("SHA-256", hex);
        }

        public static Digest md5(String hex) {
            return new Digest("MD5", hex);
        }

        public boolean checked() {
            return hex != null;
        }

        public boolean matches(Path file) {
            return !checked() || hex.equals(Checksums.fileHex(file, algorithm));
        }

        public boolean matches(byte[] bytes) {
            return !checked()
                    || hex.equals(Checksums.hex(Checksums.newDigest(algorithm).digest(bytes)));
        }
    }

    /**
     * Fetches {@code request} into {@code target}, replacing what was there.
     *
     * @return {@code target}, holding exactly the verified bytes
     * @throws Mismatch when the bytes do not hash to {@code expected}; nothing is left behind
     * @throws Failure when the server does not answer 2xx, or the transfer or the move fails
     */
    public Path fetch(HttpRequest request, Path target, Digest expected) {
        Path partial = null;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            partial = Files.createTempFile(
                    target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() / 100 != 2) {
                throw new Failure(
                        request.uri() + " answered HTTP " + response.statusCode(),
                        response.statusCode(),
                        errorBody(partial),
                        null);
            }
            String actual = Checksums.fileHex(partial, expected.algorithm());
            if (expected.checked() && !expected.hex().equals(actual)) {
                throw new Mismatch(request.uri().toString(), expected, actual);
            }
            partial.toFile().setReadOnly();
            moveIntoPlace(partial, target);
            return target;
        } catch (IOException e) {
            throw new Failure("cannot download " + request.uri() + " to " + target + ": " + e, 0, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("the download of " + request.uri() + " was interrupted", 0, "", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String errorBody(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover .part file is harmless: it never has the target's name
            }
        }
    }

    /** The download could not be had; it may succeed later. */
    public static class Failure extends RuntimeException {
        private final int status;
        private final String body;

        Failure(String message, int status, String body, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.body = body;
        }

        /** The HTTP status the server answered, 0 when there was no answer. */
        public int status() {
            return status;
        }

        /** The start of the server's error body (for a reason it gives), empty when there was none. */
        public String body() {
            return body;
        }
    }

    /** The bytes arrived but are not the expected ones: fetching them again from the same place gives the same. */
    public static final class Mismatch extends Failure {
        private final Digest expected;
        private final String actual;

        Mismatch(String url, Digest expected, String actual) {
            super(url + " has " + expected.algorithm() + " " + actual + ", expected " + expected.hex(), 200, "", null);
            this.expected = expected;
            this.actual = actual;
        }

        public Digest expected() {
            return expected;
        }

        public String actual() {
            return actual;
        }
    }
}
