package dev.tlab.trainer.engine.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Where the pretrained model comes from: a local path, a {@code file:} URI, an {@code http(s)} URL (optionally with the
 * expected sha256, verified after download), a DJL model-zoo {@code djl://} URL, or {@value #BUILT_IN_RESNET18}, the
 * full-size ResNet-18 architecture shipped with the trainer.
 *
 * @param weights optional safetensors file whose tensors replace the model's by name (the head excepted); a local path
 *     or an http(s) URL with its sha256
 */
public record ModelSource(String uri, String sha256, ModelSource weights) {

    /** The architecture the project ships (constant weights): meant to be combined with {@code weights}. */
    public static final String BUILT_IN_RESNET18 = dev.tlab.contracts.ModelSpec.BUILT_IN_RESNET18;

    public ModelSource(String uri, String sha256) {
        this(uri, sha256, null);
    }

    public ModelSource {
        if (uri == null || uri.isBlank()) {
            throw new ModelUnavailableException("No model was configured");
        }
        uri = uri.trim();
        sha256 = sha256 == null || sha256.isBlank() ? null : sha256.trim().toLowerCase(Locale.ROOT);
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits: " + sha256);
        }
    }

    public static ModelSource of(String uri) {
        return new ModelSource(uri, null);
    }

    public Kind kind() {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return Kind.HTTP;
        }
        if (lower.startsWith("djl://")) {
            return Kind.MODEL_ZOO;
        }
        if (lower.startsWith("builtin:")) {
            return Kind.BUILT_IN;
        }
        return Kind.LOCAL;
    }

    public enum Kind {
        LOCAL,
        HTTP,
        MODEL_ZOO,
        BUILT_IN
    }

    @Override
    public String toString() {
        return Objects.requireNonNullElse(uri, "")
                + (sha256 == null ? "" : " (sha256 " + sha256 + ")")
                + (weights == null ? "" : " with weights " + weights);
    }
}
