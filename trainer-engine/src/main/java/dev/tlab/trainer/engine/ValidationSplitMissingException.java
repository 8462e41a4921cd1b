package dev.tlab.trainer.engine;

/** A job selects its epoch on a validation split its dataset does not have: no retry can give it one. */
public final class ValidationSplitMissingException extends IllegalStateException implements PermanentFailure {
    public ValidationSplitMissingException(String message) {
        super(message);
    }
}
