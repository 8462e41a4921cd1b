package dev.tlab.datafiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * The most one download may take: bytes, and time from sending the request to the last byte. A server that
     * announces or sends more, or is slower, fails the download ({@link Failure}) and nothing is kept.
     */
    public record Limits(long maxBytes, Duration timeout) {
        /** No bound (a source the operator configured, such as the CIFAR-10 archive). */
        public static final Limits NONE = new Limits(Long.MAX_VALUE, null);

        public Limits {
            if (maxBytes < 1 || timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("download limits must be positive");
            }
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
        return fetch(request, target, expected, Limits.NONE);
    }

    /**
     * The same within {@code limits}; a 3xx answer is a {@link Failure} whose {@link Failure#location()} names where it
     * points, for a caller that follows redirects itself (after checking where they lead) with a client that does not.
     */
    public Path fetch(HttpRequest request, Path target, Digest expected, Limits limits) {
        Path partial = null;
        BoundedFile body = null;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            partial = Files.createTempFile(
                    target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
            HttpRequest bounded = limits.timeout() == null
                    ? request
                    : HttpRequest.newBuilder(request, (name, value) -> true)
                            .timeout(limits.timeout())
                            .build();
            BoundedFile[] opened = new BoundedFile[1];
            Path file = partial;
            CompletableFuture<HttpResponse<Path>> sent = http.sendAsync(bounded, info -> {
                opened[0] = new BoundedFile(file, limits.maxBytes(), info, request.uri());
                return opened[0];
            });
            HttpResponse<Path> response;
            try {
                response = limits.timeout() == null
                        ? sent.get()
                        : sent.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                sent.cancel(true);
                body = opened[0];
                throw new Failure(
                        request.uri() + " did not complete within " + limits.timeout() + " (the download's time limit)",
                        0,
                        "",
                        e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Failure f) {
                    throw f;
                }
                throw cause instanceof IOException io ? io : new IOException(cause);
            }
            body = opened[0];
            if (response.statusCode() / 100 != 2) {
                throw new Failure(
                        request.uri() + " answered HTTP " + response.statusCode(),
                        response.statusCode(),
                        errorBody(partial),
                        null,
                        response.headers().firstValue("Location").orElse(null));
            }
            String actual = Checksums.fileHex(partial, expected.algorithm());
            if (expected.checked() && !expected.hex().equals(actual)) {
                throw new Mismatch(request.uri().toString(), expected, actual);
            }
            partial.toFile().setReadOnly();
            AtomicFiles.moveIntoPlace(partial, target);
            return target;
        } catch (IOException e) {
            throw new Failure("cannot download " + request.uri() + " to " + target + ": " + e, 0, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("the download of " + request.uri() + " was interrupted", 0, "", e);
        } finally {
            if (body != null) {
                body.abort();
            }
            deleteQuietly(partial);
        }
    }

    /**
     * Writes a response body to a file, refusing more than {@code maxBytes} (announced in Content-Length or received):
     * the transfer is cancelled at once rather than read to its end.
     */
    private static final class BoundedFile implements HttpResponse.BodySubscriber<Path> {
        private final Path file;
        private final long maxBytes;
        private final URI uri;
        private final CompletableFuture<Path> result = new CompletableFuture<>();
        private final long announced;
        private FileChannel channel;
        private Flow.Subscription subscription;
        private long received;

        BoundedFile(Path file, long maxBytes, HttpResponse.ResponseInfo info, URI uri) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.uri = uri;
            this.announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (announced > maxBytes) {
                tooLarge(announced + " bytes announced");
                return;
            }
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                s.request(1);
            } catch (IOException e) {
                s.cancel();
                result.completeExceptionally(e);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    received += b.remaining();
                    if (received > maxBytes) {
                        tooLarge("more than that received");
                        return;
                    }
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                close();
                result.completeExceptionally(e);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            close();
            result.complete(file);
        }

        @Override
        public CompletionStage<Path> getBody() {
            return result;
        }

        /** Stops the transfer (the download gave up, e.g. on its time limit). */
        synchronized void abort() {
            if (subscription != null && !result.isDone()) {
                subscription.cancel();
                result.cancel(false);
            }
            close();
        }

        private void tooLarge(String what) {
            subscription.cancel();
            close();
            result.completeExceptionally(new Failure(
                    uri + " is larger than the download's limit of " + maxBytes + " bytes (" + what + ")",
                    0,
                    "",
                    null));
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // the partial file is deleted anyway
                }
                channel = null;
            }
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
        private final String location;

        Failure(String message, int status, String body, Throwable cause) {
            this(message, status, body, cause, null);
        }

        Failure(String message, int status, String body, Throwable cause, String location) {
            super(message, cause);
            this.status = status;
            this.body = body;
            this.location = location;
        }

        /** The HTTP status the server answered, 0 when there was no answer. */
        public int status() {
            return status;
        }

        /** The start of the server's error body (for a reason it gives), empty when there was none. */
        public String body() {
            return body;
        }

        /** Where a redirect (3xx) points, as the server wrote it (possibly relative to the request). */
        public Optional<String> location() {
            return Optional.ofNullable(location);
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
