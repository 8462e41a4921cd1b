package dev.tlab.trainer.engine.model;

import dev.tlab.trainer.engine.PermanentFailure;

/** The pretrained model could not be found, fetched or read; the message says how to provide one. */
public class ModelUnavailableException extends RuntimeException implements PermanentFailure {

    /** Appended to every message: the ways a user can make a model available. */
    public static final String HOW_TO = "Provide a TorchScript ResNet-18 (torch.jit.script, not trace): export one with"
            + " trainer-service/scripts/export_resnet18.py (see scripts/README.md), then point the job's model at"
            + " its path or file: URI, or at an http(s) URL with its sha256; downloads are cached in the folder of"
            + " 'tlab.trainer.model-cache' (pre-fill it to run offline).";

    /** The request field to blame: {@code model.uri}, or {@code model.sha256} for a checksum that does not match. */
    private final String field;

    public ModelUnavailableException(String problem) {
        this("model.uri", problem);
    }

    public ModelUnavailableException(String field, String problem) {
        super(problem + ". " + HOW_TO);
        this.field = field;
    }

    /** A message that already says what to do (e.g. about pretrained weights, not the TorchScript model). */
    public ModelUnavailableException(String field, String message, boolean complete) {
        super(complete ? message : message + ". " + HOW_TO);
        this.field = field;
    }

    public ModelUnavailableException(String problem, Throwable cause) {
        this("model.uri", problem, cause);
    }

    public ModelUnavailableException(String field, String problem, Throwable cause) {
        super(problem + " (" + cause.getMessage() + "). " + HOW_TO, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
