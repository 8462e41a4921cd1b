package dev.tlab.contracts;

/**
 * A fine-tuned model a trainer kept (TorchScript, loadable by DJL and {@code torch.jit.load}) in the model store that
 * trainers and the results service share.
 *
 * @param path where it lies, relative to the model store's root ({@code <experimentId>/<jobId>.pt})
 * @param sha256 digest of the file, 64 lower-case hex digits
 * @param bytes size of the file
 */
public record ModelArtifact(String path, String sha256, Long bytes) {
    public ModelArtifact {
        Fields.requiredText(path, "model.path");
        if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new InvalidFieldException(
                    "model.path", "must be relative to the model store, was " + Fields.quote(path));
        }
        Fields.requiredText(sha256, "model.sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new InvalidFieldException("model.sha256", "must be 64 lower-case hexadecimal characters");
        }
        Fields.required(bytes, "model.bytes");
    }
}
