package dev.tlab.trainer.engine;

/** A checkpoint that cannot continue its job as the job now is (e.g. another class count): no retry changes that. */
public final class ResumeRefusedException extends IllegalStateException implements PermanentFailure {
    public ResumeRefusedException(String message) {
        super(message);
    }
}
