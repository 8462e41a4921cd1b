package dev.tlab.contracts;

import java.util.regex.Pattern;

/**
 * The pretrained model to fine-tune: a TorchScript ResNet-18 in torchvision's layout.
 *
 * @param uri a file path, {@code file:}, {@code http(s):} or {@code djl://} URI; {@code null} means the trainer's
 *     configured default model
 * @param sha256 optional checksum of the file, verified after download
 * @param weightsUri optional safetensors file (path or http(s) URL) whose tensors replace the model's by name, the
 *     classifier {@code fc} excepted, which gets a new seeded head (added in schema version 1, optional)
 * @param weightsSha256 checksum of the weights file; required when {@code weightsUri} is an http(s) URL
 */
public record ModelSpec(String uri, String sha256, String weightsUri, String weightsSha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Longer is not a model location but a mistake or an attack; every reader can rely on this bound. */
    public static final int MAX_URI_LENGTH = 2048;
    /**
     * The full-size ResNet-18 architecture every trainer ships (constant weights): combine it with {@code weightsUri}.
     */
    public static final String BUILT_IN_RESNET18 = "builtin:resnet18";

    public ModelSpec {
        if (uri != null && uri.isBlank()) {
            throw new InvalidFieldException("model.uri", "must not be blank (leave it out for the trainer's default)");
        }
        Fields.maxLength(uri, MAX_URI_LENGTH, "model.uri");
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new InvalidFieldException("model.sha256", "must be 64 lower-case hexadecimal characters");
        }
        if (weightsUri != null && weightsUri.isBlank()) {
            throw new InvalidFieldException("model.weightsUri", "must not be blank (leave it out for none)");
        }
        Fields.maxLength(weightsUri, MAX_URI_LENGTH, "model.weightsUri");
        if (weightsSha256 != null && !SHA256.matcher(weightsSha256).matches()) {
            throw new InvalidFieldException("model.weightsSha256", "must be 64 lower-case hexadecimal characters");
        }
        if (weightsSha256 != null && weightsUri == null) {
            throw new InvalidFieldException("model.weightsSha256", "needs model.weightsUri");
        }
        if (weightsUri != null && weightsSha256 == null && weightsUri.regionMatches(true, 0, "http", 0, 4)) {
            throw new InvalidFieldException(
                    "model.weightsSha256",
                    "is required for downloaded weights (64 hex digits; see the README for the known copies)");
        }
    }

    public ModelSpec(String uri, String sha256) {
        this(uri, sha256, null, null);
    }

    public static ModelSpec trainerDefault() {
        return new ModelSpec(null, null, null, null);
    }

    public static ModelSpec of(String uri) {
        return new ModelSpec(uri, null);
    }
}
