package dev.tlab.trainer.engine.model;

import dev.tlab.datafiles.AtomicFiles;
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

    /** The built-in model's TorchScript file under {@code cacheDir}, unpacked on first use. */
    public static synchronized Path unpack(String uri, Path cacheDir) {
        String resource = RESOURCES.get(uri.toLowerCase(java.util.Locale.ROOT));
        if (resource == null) {
            throw new ModelUnavailableException("There is no built-in model '" + uri + "'; the trainer ships "
                    + String.join(", ", RESOURCES.keySet()));
        }
        Path target = cacheDir.resolve("builtin").resolve(uri.substring(uri.indexOf(':') + 1) + ".pt");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream packed = BuiltInModels.class.getResourceAsStream(resource)) {
            if (packed == null) {
                throw new ModelUnavailableException(
                        "The built-in model " + uri + " is missing from this build (" + resource + ")");
            }
            AtomicFiles.write(target, out -> new GZIPInputStream(packed).transferTo(out));
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new ModelUnavailableException("Cannot unpack the built-in model " + uri + " into " + cacheDir, e);
        }
    }
}
