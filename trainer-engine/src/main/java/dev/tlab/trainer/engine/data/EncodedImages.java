package dev.tlab.trainer.engine.data;

/**
 * Where the encoded bytes of the user's images come from, by their sha256: the trainer's verified cache of what the
 * dataset service served. Called from the data threads.
 */
@FunctionalInterface
public interface EncodedImages {

    /**
     * The file's bytes, which hash to {@code sha256}.
     *
     * @throws RuntimeException when they cannot be read or no longer match their digest
     */
    byte[] read(String sha256);
}
