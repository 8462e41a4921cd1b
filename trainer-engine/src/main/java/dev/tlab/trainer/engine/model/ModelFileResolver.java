package dev.tlab.trainer.engine.model;

import ai.djl.util.Utils;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Turns a {@link ModelSource} into a readable local file, only from where {@link ModelAccess} allows: a file inside the
 * configured folders, or a download from an allowed origin with its sha256. Downloads go to a cache folder (named after
 * the URL's hash), are bounded in bytes and time, verified and moved in place atomically ({@link VerifiedDownload}), so
 * an interrupted download never looks like a model; redirects are followed only to allowed origins (at most
 * {@value #MAX_REDIRECTS}). With DJL's offline mode on ({@code DJL_OFFLINE=true} or {@code -Dai.djl.offline=true}) only
 * the cache is used. A checksum that does not match is refused without echoing the file's digest.
 */
public final class ModelFileResolver {

    static final int MAX_REDIRECTS = 5;

    private final Path cacheDir;
    private final boolean offline;
    private final ModelAccess access;
    private final VerifiedDownload downloads;

    public ModelFileResolver(Path cacheDir, boolean offline, ModelAccess access) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.offline = offline;
        this.access = access;
        // redirects are followed here, each checked against the allowed origins and addresses
        this.downloads = new VerifiedDownload(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** Cache folder from the setting, offline mode from DJL's own switches. */
    public static ModelFileResolver withDjlOfflineMode(Path cacheDir, ModelAccess access) {
        return new ModelFileResolver(cacheDir, Utils.isOfflineMode(), access);
    }

    public ModelAccess access() {
        return access;
    }

    /** The model cache folder ({@code tlab.trainer.model-cache}). */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The model's file; failures name {@code model.uri} or {@code model.sha256}. */
    public Path resolve(ModelSource source) {
        return resolve(source, "model.uri", "model.sha256");
    }

    /**
     * @param locationField the request field a refused location is reported under
     * @param digestField the request field a wrong or missing sha256 is reported under
     */
    public Path resolve(ModelSource source, String locationField, String digestField) {
        try {
            return switch (source.kind()) {
                case LOCAL -> local(source, locationField, digestField);
                case HTTP -> cachedDownload(source, locationField, digestField);
                case BUILT_IN -> BuiltInModels.unpack(source.uri(), cacheDir);
                case MODEL_ZOO -> throw new IllegalArgumentException("model-zoo URLs are loaded by DJL, not as files");
            };
        } catch (IllegalArgumentException e) {
            // URI.create and Paths.get refuse malformed locations this way; that is bad input, not a crash
            throw new ModelUnavailableException(
                    locationField, "Model location '" + source.uri() + "' is not a valid path or URL", e);
        }
    }

    /**
     * Whether {@code file} is a download of this resolver's cache ({@code <cache>/<16 hex digits of the URL's
     * hash>/<name>}), and so may be dropped when it is no model. Other files in the cache folder, e.g. a model an
     * operator put there (it may be one of the model folders), are never touched.
     */
    public boolean downloaded(Path file) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        return folder != null
                && cacheDir.equals(folder.getParent())
                && folder.getFileName().toString().matches("[0-9a-f]{16}");
    }

    /** Drops a downloaded file that turned out not to be a loadable model, so that the cache never keeps it. */
    public void discard(Path file) {
        if (downloaded(file)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file + " from the model cache", e);
            }
        }
    }

    private Path local(ModelSource source, String locationField, String digestField) {
        Path path;
        try {
            path = source.uri().regionMatches(true, 0, "file:", 0, 5)
                    ? Paths.get(new URI(source.uri()))
                    : Paths.get(source.uri());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModelUnavailableException(
                    locationField, "Model location '" + source.uri() + "' is not a valid path or URI", e);
        }
        Path file = access.localFile(path, source.uri(), locationField);
        if (source.sha256() != null) {
            verify(file, source, digestField);
        }
        return file;
    }

    private Path cachedDownload(ModelSource source, String locationField, String digestField) {
        URI uri = URI.create(source.uri());
        access.checkDownload(uri, locationField);
        if (source.sha256() == null) {
            throw new ModelUnavailableException(
                    digestField, "A model or weights file to download needs its sha256 (" + digestField + ")");
        }
        String key = Checksums.sha256Hex(source.uri()).substring(0, 16);
        Path name = uri.getPath() == null || uri.getPath().isEmpty()
                ? null
                : Paths.get(uri.getPath()).getFileName();
        String fileName = name == null || name.toString().isBlank() ? "model.pt" : name.toString();
        Path target = cacheDir.resolve(key).resolve(fileName);
        if (Files.isRegularFile(target) && source.sha256().equals(fileSha256(target))) {
            return target;
        }
        if (offline) {
            throw new ModelUnavailableException(
                    locationField,
                    "Model " + source.uri() + " is not in the cache (" + target
                            + ") and downloads are disabled by DJL offline mode (DJL_OFFLINE / ai.djl.offline)");
        }
        VerifiedDownload.Limits limits = new VerifiedDownload.Limits(access.maxBytes(), access.timeout());
        for (int redirects = 0; ; redirects++) {
            try {
                return downloads.fetch(
                        HttpRequest.newBuilder(uri).GET().build(),
                        target,
                        VerifiedDownload.Digest.sha256(source.sha256()),
                        limits);
            } catch (VerifiedDownload.Mismatch e) {
                throw mismatch(source, digestField);
            } catch (VerifiedDownload.Failure e) {
                if (e.status() / 100 == 3 && e.location().isPresent() && redirects < MAX_REDIRECTS) {
                    uri = uri.resolve(e.location().get());
                    access.checkDownload(uri, locationField);
                    continue;
                }
                throw new ModelUnavailableException(
                        locationField,
                        "Could not download model " + source.uri() + " into " + cacheDir + ": " + e.getMessage(),
                        e);
            }
        }
    }

    private static void verify(Path file, ModelSource source, String digestField) {
        if (!fileSha256(file).equals(source.sha256())) {
            throw mismatch(source, digestField);
        }
    }

    /** Says that the digest differs, never what the file's digest is. */
    private static ModelUnavailableException mismatch(ModelSource source, String digestField) {
        return new ModelUnavailableException(
                digestField,
                "Model " + source.uri() + " does not have the sha256 " + source.sha256() + " that was expected");
    }

    public static String fileSha256(Path file) {
        try {
            return Checksums.sha256Hex(file);
        } catch (UncheckedIOException e) {
            throw new ModelUnavailableException("Cannot read model file " + file, e);
        }
    }
}
