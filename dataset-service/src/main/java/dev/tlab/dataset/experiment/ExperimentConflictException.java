package dev.tlab.dataset.experiment;

import dev.tlab.contracts.InvalidFieldException;

/** An experiment id that was already used for a request with other content (REST answers 409). */
public class ExperimentConflictException extends InvalidFieldException {
    public ExperimentConflictException(String reason) {
        super("experimentId", reason);
    }
}
