package dev.tlab.contracts;

import java.util.regex.Pattern;

/**
 * The pretrained model to fine-tune: a TorchScript ResNet-18 in torchvision's layout.
 *
 * @param uri    a file path, {@code file:}, {@code http(s):} or {@code djl://} URI; {@code null} means the trainer's
 *               configured default model
 * @param sha256 optional checksum of the file, verified after download
 */
public record ModelSpec(String uri, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Longer is not a model location but a mistake or an attack; every reader can rely on this bound. */
    public static final int MAX_URI_LENGTH = 2048;

    public ModelSpec {
        if (uri != null && uri.isBlank()) {
            throw new InvalidFieldException("model.uri", "must not be blank (leave it out for the trainer's default)");
        }
        Fields.maxLength(uri, MAX_URI_LENGTH, "model.uri");
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new InvalidFieldException("model.sha256", "must be 64 lower-case hexadecimal characters");
        }
    }

    public static ModelSpec trainerDefault() {
        return new ModelSpec(null, null);
    }

    public static ModelSpec of(String uri) {
        return new ModelSpec(uri, null);
    }
}
