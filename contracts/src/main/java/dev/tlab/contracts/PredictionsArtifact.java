package dev.tlab.contracts;

/**
 * The per-image predictions of a final evaluation, kept by the trainer next to its fine-tuned model in the model store
 * (data-files' {@code PredictionsFile}: each test image's true and predicted class, compactly) so that two strategies
 * can be compared image by image.
 *
 * @param path where it lies, relative to the model store's root ({@code <experimentId>/<jobId>.predictions})
 * @param sha256 digest of the file, 64 lower-case hex digits: a reader checks it before it uses the file
 * @param bytes size of the file
 * @param images how many test images it holds
 */
public record PredictionsArtifact(String path, String sha256, Long bytes, Long images) {
    public PredictionsArtifact {
        Fields.requiredText(path, "predictions.path");
        if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new InvalidFieldException(
                    "predictions.path", "must be relative to the model store, was " + Fields.quote(path));
        }
        Fields.requiredText(sha256, "predictions.sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new InvalidFieldException("predictions.sha256", "must be 64 lower-case hexadecimal characters");
        }
        if (Fields.required(bytes, "predictions.bytes") < 0) {
            throw new InvalidFieldException("predictions.bytes", "must not be negative, was " + bytes);
        }
        if (Fields.required(images, "predictions.images") < 0) {
            throw new InvalidFieldException("predictions.images", "must not be negative, was " + images);
        }
    }
}
