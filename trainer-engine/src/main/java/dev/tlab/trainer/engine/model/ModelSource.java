package dev.tlab.trainer.engine.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Where the pretrained model comes from: a local path, a {@code file:} URI, an {@code http(s)} URL
 * (optionally with the expected sha256, verified after download), or a DJL model-zoo {@code djl://} URL.
 */
public record ModelSource(String uri, String sha256) {

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
        return Kind.LOCAL;
    }

    public enum Kind { LOCAL, HTTP, MODEL_ZOO }

    @Override
    public String toString() {
        return Objects.requireNonNullElse(uri, "") + (sha256 == null ? "" : " (sha256 " + sha256 + ")");
    }
}
