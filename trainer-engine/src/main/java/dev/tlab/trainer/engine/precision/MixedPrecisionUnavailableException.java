package dev.tlab.trainer.engine.precision;

import dev.tlab.trainer.engine.PermanentFailure;

/** The loaded libtorch cannot compute in a lower precision; a retry on the same trainer cannot help. */
public final class MixedPrecisionUnavailableException extends IllegalStateException implements PermanentFailure {
    public MixedPrecisionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
