package dev.tlab.trainer.engine.model;

import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Checksums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Architecture files shipped inside the trainer: TorchScript made by {@code trainer-service/scripts/export_resnet18.py
 * --weights none --constant-init} (constant weights, so the 44 MB file packs to under 100 KB). They are unpacked once
 * into the model cache and meant to receive real weights from a safetensors file ({@link PretrainedWeights}).
 */
public final class BuiltInModels {

    private static final Map<String, String> RESOURCES =
            Map.of(ModelSource.BUILT_IN_RESNET18, "/models/resnet18-full-constant.pt.gz");

    private BuiltInModels() {}

    /**
     * The built-in model's TorchScript file under {@code cacheDir}, unpacked on first use. Its name carries a digest of
     * the packed resource, so that a cache filled by an older build (e.g. one whose architecture could not change its
     * classifier's size) is not taken for this build's file.
     */
    public static synchronized Path unpack(String uri, Path cacheDir) {
        String resource = RESOURCES.get(uri.toLowerCase(java.util.Locale.ROOT));
        if (resource == null) {
            throw new ModelUnavailableException("There is no built-in model '" + uri + "'; the trainer ships "
                    + String.join(", ", RESOURCES.keySet()));
        }
        byte[] packed;
        try (InputStream in = BuiltInModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelUnavailableException(
                        "The built-in model " + uri + " is missing from this build (" + resource + ")");
            }
            packed = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelUnavailableException("Cannot read the built-in model " + uri + " (" + resource + ")", e);
        }
        String name = uri.substring(uri.indexOf(':') + 1) + "-"
                + Checksums.sha256Hex(packed).substring(0, 16) + ".pt";
        Path target = cacheDir.resolve("builtin").resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            AtomicFiles.write(target, out -> new GZIPInputStream(new ByteArrayInputStream(packed)).transferTo(out));
            return target;
        } catch (UncheckedIOException e) {
            throw new ModelUnavailableException("Cannot unpack the built-in model " + uri + " into " + cacheDir, e);
        }
    }
}
