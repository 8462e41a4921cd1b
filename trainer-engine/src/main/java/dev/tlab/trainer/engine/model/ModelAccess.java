package dev.tlab.trainer.engine.model;

import dev.tlab.datafiles.NetworkAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where models and pretrained weights may come from: what a request or job names is read or fetched only from here, so
 * that neither is a way to read the trainer's files or to reach the cluster's network.
 *
 * <ul>
 *   <li>Files only inside the {@code roots} ({@code tlab.trainer.model-roots}), after resolving symbolic links and
 *       {@code ..}: a link inside a root that leads out of it is refused like a path outside.
 *   <li>Downloads only from the {@code origins} ({@code tlab.trainer.model-hosts}): {@code https://host[:port]} (a bare
 *       host means https on 443); plain {@code http://host:port} only where an entry says so; {@code djl://} admits
 *       DJL's model zoo. A download needs the file's sha256.
 *   <li>No download from an address that is loopback, link-local (cloud metadata services live there), private,
 *       unique-local, multicast or unspecified, unless {@code privateAddresses}: every address the host resolves to is
 *       checked before connecting (the JVM caches the lookup, so the client connects to an address that was checked).
 *   <li>Downloads bounded by {@code maxBytes} and by {@code timeout} from the first byte sent to the last received.
 * </ul>
 *
 * A refusal never says whether a file outside the roots exists, and no message carries a digest of such a file.
 */
public record ModelAccess(
        List<Path> roots, List<URI> origins, boolean privateAddresses, long maxBytes, Duration timeout) {

    /** The {@code tlab.trainer.model-hosts} entry {@code djl://}: DJL's model zoo. */
    public static final URI MODEL_ZOO = URI.create("djl:model-zoo");

    public static final long DEFAULT_MAX_BYTES = 512L << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public ModelAccess {
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        origins = List.copyOf(origins);
        if (maxBytes < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the download limits must be positive");
        }
    }

    /** Files from these folders only, no downloads (the engine's tests and tools). */
    public static ModelAccess folders(Path... roots) {
        return new ModelAccess(List.of(roots), List.of(), false, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code tlab.trainer.model-hosts} entries: {@code huggingface.co}, {@code https://models.example:8443},
     * {@code http://127.0.0.1:8000}, {@code djl://}.
     */
    public static List<URI> origins(List<String> entries) {
        List<URI> out = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equalsIgnoreCase("djl://")) {
                out.add(MODEL_ZOO);
                continue;
            }
            URI uri = URI.create(entry.contains("://") ? entry : "https://" + entry);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("tlab.trainer.model-hosts: '" + entry
                        + "' is not a host, an https:// or http:// origin, or djl://");
            }
            out.add(URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri)));
        }
        return out;
    }

    /**
     * The real file a local location names, when it lies inside a root.
     *
     * @throws ModelUnavailableException naming {@code field}: outside every root (whether it exists or not), or inside
     *     one but missing or unreadable
     */
    public Path localFile(Path path, String location, String field) {
        Path absolute = path.toAbsolutePath().normalize();
        Optional<Path> root = roots.stream().filter(absolute::startsWith).findFirst();
        if (root.isEmpty()) {
            throw outside(location, field);
        }
        if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
            throw new ModelUnavailableException(field, "Model file " + location + " does not exist or is not readable");
        }
        try {
            Path real = absolute.toRealPath();
            for (Path r : roots) {
                if (Files.exists(r) && real.startsWith(r.toRealPath())) {
                    return real;
                }
            }
        } catch (IOException e) {
            throw new ModelUnavailableException(field, "Model file " + location + " could not be resolved", e);
        }
        throw outside(location, field); // a link out of the root
    }

    /**
     * Checks that a download may go to {@code uri}: an allowed origin, resolving to allowed addresses only.
     *
     * @throws ModelUnavailableException naming {@code field} otherwise
     */
    public void checkDownload(URI uri, String field) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        URI origin = URI.create(scheme + "://" + (host.isEmpty() ? "invalid" : host) + ":" + port(uri));
        if (!origins.contains(origin)) {
            throw new ModelUnavailableException(
                    field,
                    "Downloads from " + scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                            + " are not allowed on this trainer (tlab.trainer.model-hosts"
                            + (origins.isEmpty() ? " is empty: models come from its folders only" : ": " + origins)
                            + ")",
                    false);
        }
        if (privateAddresses) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (internal(address)) {
                    throw new ModelUnavailableException(
                            field,
                            host + " resolves to " + address.getHostAddress() + ", a loopback, link-local or private"
                                    + " address, where this trainer does not download from"
                                    + " (tlab.trainer.model-private-addresses=false)",
                            false);
                }
            }
        } catch (UnknownHostException e) {
            throw new ModelUnavailableException(field, "The model host " + host + " is unknown", e);
        }
    }

    /** Whether {@code djl://} model-zoo locations are allowed. */
    public boolean modelZoo() {
        return origins.contains(MODEL_ZOO);
    }

    static boolean internal(InetAddress a) {
        return NetworkAddresses.internal(a);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private ModelUnavailableException outside(String location, String field) {
        return new ModelUnavailableException(
                field,
                "Model location " + location + " is not inside a folder this trainer loads models from"
                        + " (tlab.trainer.model-roots: " + roots + ")",
                false);
    }
}
