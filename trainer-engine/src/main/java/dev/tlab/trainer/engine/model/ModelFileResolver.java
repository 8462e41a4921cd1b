package dev.tlab.trainer.engine.model;

import ai.djl.util.Utils;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Turns a local or http(s) {@link ModelSource} into a readable local file. Downloads go to a cache folder (named after
 * the URL's hash), are checksum-verified when a sha256 is given, and are moved in place atomically
 * ({@link VerifiedDownload}), so an interrupted download never looks like a model. With DJL's offline mode on
 * ({@code DJL_OFFLINE=true} or {@code -Dai.djl.offline=true}) only the cache is used.
 */
public final class ModelFileResolver {

    private final Path cacheDir;
    private final boolean offline;

    public ModelFileResolver(Path cacheDir, boolean offline) {
        this.cacheDir = cacheDir;
        this.offline = offline;
    }

    /** Cache folder from the setting, offline mode from DJL's own switches. */
    public static ModelFileResolver withDjlOfflineMode(Path cacheDir) {
        return new ModelFileResolver(cacheDir, Utils.isOfflineMode());
    }

    public Path resolve(ModelSource source) {
        try {
            return switch (source.kind()) {
                case LOCAL -> local(source);
                case HTTP -> cachedDownload(source);
                case BUILT_IN -> BuiltInModels.unpack(source.uri(), cacheDir);
                case MODEL_ZOO -> throw new IllegalArgumentException("model-zoo URLs are loaded by DJL, not as files");
            };
        } catch (IllegalArgumentException e) {
            // URI.create and Paths.get refuse malformed locations this way; that is bad input, not a crash
            throw new ModelUnavailableException("Model location '" + source.uri() + "' is not a valid path or URL", e);
        }
    }

    private Path local(ModelSource source) {
        Path path;
        try {
            path = source.uri().regionMatches(true, 0, "file:", 0, 5)
                    ? Paths.get(new URI(source.uri()))
                    : Paths.get(source.uri());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModelUnavailableException("Model location '" + source.uri() + "' is not a valid path or URI", e);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ModelUnavailableException(
                    "Model file " + path.toAbsolutePath() + " does not exist or is not readable");
        }
        if (source.sha256() != null) {
            verify(path, source);
        }
        return path;
    }

    private Path cachedDownload(ModelSource source) {
        String key = Checksums.sha256Hex(source.uri()).substring(0, 16);
        String path = URI.create(source.uri()).getPath();
        Path name = path == null || path.isEmpty() ? null : Paths.get(path).getFileName();
        String fileName = name == null || name.toString().isBlank() ? "model.pt" : name.toString();
        Path target = cacheDir.resolve(key).resolve(fileName);
        if (Files.isRegularFile(target)) {
            if (source.sha256() == null || source.sha256().equals(fileSha256(target))) {
                return target;
            }
        }
        if (offline) {
            throw new ModelUnavailableException("Model " + source + " is not in the cache (" + target
                    + ") and downloads are disabled by DJL offline mode (DJL_OFFLINE / ai.djl.offline)");
        }
        try {
            return VerifiedDownload.withDefaultClient()
                    .fetch(
                            HttpRequest.newBuilder(URI.create(source.uri()))
                                    .GET()
                                    .build(),
                            target,
                            VerifiedDownload.Digest.sha256(source.sha256()));
        } catch (VerifiedDownload.Mismatch e) {
            throw mismatch(source, e.actual());
        } catch (VerifiedDownload.Failure e) {
            throw new ModelUnavailableException(
                    "Could not download model " + source + " into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static void verify(Path file, ModelSource source) {
        String actual = fileSha256(file);
        if (!actual.equals(source.sha256())) {
            throw mismatch(source, actual);
        }
    }

    private static ModelUnavailableException mismatch(ModelSource source, String actual) {
        return new ModelUnavailableException(
                "model.sha256",
                "Model " + source.uri() + " has sha256 " + actual + " but " + source.sha256() + " was expected");
    }

    public static String fileSha256(Path file) {
        try {
            return Checksums.sha256Hex(file);
        } catch (UncheckedIOException e) {
            throw new ModelUnavailableException("Cannot read model file " + file, e);
        }
    }
}
