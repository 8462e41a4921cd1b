package dev.tlab.dataset.images;

import dev.tlab.contracts.api.ApiException;
import dev.tlab.datafiles.NetworkAddresses;
import dev.tlab.datafiles.VerifiedDownload;
import dev.tlab.images.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads a request's archive ({@code dataset.source.url} with its sha256) into the store, once: only from the hosts
 * the operator allows ({@code tlab.dataset.images.hosts}), never to a loopback, link-local or private address unless
 * allowed, within a byte and a time bound, each redirect checked like the first URL, the digest checked before the file
 * is kept ({@link VerifiedDownload}). The archive is kept under its sha256, so a second request for the same bytes
 * reads it from the store.
 */
public final class ArchiveDownloads {
    private static final int MAX_REDIRECTS = 5;

    /**
     * @param origins allowed origins as {@code scheme://host:port}; an entry without a scheme means https on 443, a
     *     plain {@code http://host:port} entry allows that origin without TLS (a mirror inside the cluster)
     */
    public record Settings(List<URI> origins, boolean privateAddresses, long maxBytes, Duration timeout) {
        public Settings {
            origins = List.copyOf(origins);
        }

        /** Reads {@code tlab.dataset.images.hosts} entries: {@code example.org}, {@code https://h:8443}. */
        public static List<URI> origins(List<String> entries) {
            List<URI> out = new ArrayList<>();
            for (String raw : entries) {
                String entry = raw.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                URI uri = URI.create(entry.contains("://") ? entry : "https://" + entry);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException(
                            ImageErrors.KEY_PREFIX + "hosts: '" + entry + "' is not a host or an https:// origin");
                }
                out.add(origin(uri));
            }
            return out;
        }
    }

    private final Settings settings;
    private final ImageStore store;
    private final VerifiedDownload downloads;

    public ArchiveDownloads(Settings settings, ImageStore store, HttpClient http) {
        this.settings = settings;
        this.store = store;
        this.downloads = new VerifiedDownload(http);
    }

    /** A client that follows no redirect itself (each is checked here first). */
    public static HttpClient client() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * The archive the URL holds, from the store or downloaded now.
     *
     * @throws ApiException 400 naming {@code dataset.source.url} (a host not allowed, an internal address, not an
     *     archive) or {@code dataset.source.sha256} (other bytes than the digest), 503 when it cannot be downloaded
     */
    public Path fetch(String url, String sha256) {
        Optional<Path> stored = store.archive(sha256);
        if (stored.isPresent()) {
            return stored.get();
        }
        URI uri = URI.create(url);
        check(uri);
        Path arrived = store.incoming().resolve(sha256 + ".download");
        VerifiedDownload.Limits limits = new VerifiedDownload.Limits(settings.maxBytes(), settings.timeout());
        for (int redirects = 0; ; redirects++) {
            try {
                downloads.fetch(
                        HttpRequest.newBuilder(uri).GET().build(),
                        arrived,
                        VerifiedDownload.Digest.sha256(sha256),
                        limits);
                break;
            } catch (VerifiedDownload.Mismatch e) {
                throw new ApiException(
                        400,
                        "dataset.source.sha256",
                        url + " holds other bytes than the sha256 " + sha256 + " says (their sha256 is " + e.actual()
                                + "); nothing was kept");
            } catch (VerifiedDownload.Failure e) {
                if (e.status() / 100 == 3 && e.location().isPresent() && redirects < MAX_REDIRECTS) {
                    uri = uri.resolve(e.location().get());
                    check(uri);
                    continue;
                }
                throw new ApiException(
                        503,
                        "dataset.source.url",
                        "cannot download " + url + ": " + e.getMessage() + " (bounds: "
                                + ImageErrors.KEY_PREFIX + "download-max-bytes=" + settings.maxBytes() + ", "
                                + ImageErrors.KEY_PREFIX + "download-timeout=" + settings.timeout() + ")");
            }
        }
        return keep(arrived, sha256, "dataset.source.url", url);
    }

    /** Moves an arrived archive under its sha256 and kind; anything but a zip, tar or tar.gz is refused and dropped. */
    Path keep(Path arrived, String sha256, String field, String what) {
        try {
            Optional<SourceKind> kind = ImageStore.sniff(arrived);
            if (kind.isEmpty()) {
                throw new ApiException(400, field, what + " is not a zip, tar or tar.gz archive");
            }
            Path target = store.archive(sha256, kind.get());
            dev.tlab.datafiles.AtomicFiles.moveIntoPlace(arrived, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + arrived, e);
        } finally {
            try {
                Files.deleteIfExists(arrived);
            } catch (IOException e) {
                // the arrived file is named by its digest and replaced by the next attempt
            }
        }
    }

    /** An allowed origin, resolving to allowed addresses only. */
    void check(URI uri) {
        URI origin = origin(uri);
        if (!settings.origins().contains(origin)) {
            throw new ApiException(
                    400,
                    "dataset.source.url",
                    "downloads from " + origin + " are not allowed by this dataset service (" + ImageErrors.KEY_PREFIX
                            + "hosts" + (settings.origins().isEmpty() ? " is empty" : ": " + settings.origins())
                            + ")");
        }
        if (settings.privateAddresses()) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (NetworkAddresses.internal(address)) {
                    throw new ApiException(
                            400,
                            "dataset.source.url",
                            uri.getHost() + " resolves to " + address.getHostAddress() + ", a loopback, link-local or"
                                    + " private address, where this service does not download from ("
                                    + ImageErrors.KEY_PREFIX + "private-addresses=false)");
                }
            }
        } catch (UnknownHostException e) {
            throw new ApiException(503, "dataset.source.url", "the host " + uri.getHost() + " is unknown");
        }
    }

    private static URI origin(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
        String host = uri.getHost() == null ? "invalid" : uri.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }
}
