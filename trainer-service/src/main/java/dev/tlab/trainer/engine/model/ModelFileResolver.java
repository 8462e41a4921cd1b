package dev.tlab.trainer.engine.model;

import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Turns a local or http(s) {@link ModelSource} into a readable local file. Downloads go to a cache
 * folder (named after the URL's hash), are checksum-verified when a sha256 is given, and are moved in
 * place atomically, so an interrupted download never looks like a model. With DJL's offline mode on
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
                    ? Paths.get(new URI(source.uri())) : Paths.get(source.uri());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModelUnavailableException("Model location '" + source.uri() + "' is not a valid path or URI", e);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ModelUnavailableException("Model file " + path.toAbsolutePath() + " does not exist or is not readable");
        }
        if (source.sha256() != null) {
            verify(path, source);
        }
        return path;
    }

    private Path cachedDownload(ModelSource source) {
        String key = sha256Hex(source.uri().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
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
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), fileName, ".part");
            try {
                download(source.uri(), tmp);
                if (source.sha256() != null) {
                    verify(tmp, source);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new ModelUnavailableException("Could not download model " + source + " into " + cacheDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("Download of model " + source + " was interrupted");
        }
    }

    private static void download(String uri, Path to) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void verify(Path file, ModelSource source) {
        String actual = fileSha256(file);
        if (!actual.equals(source.sha256())) {
            throw new ModelUnavailableException("model.sha256", "Model " + source.uri() + " has sha256 " + actual
                    + " but " + source.sha256() + " was expected");
        }
    }

    public static String fileSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelUnavailableException("Cannot read model file " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
