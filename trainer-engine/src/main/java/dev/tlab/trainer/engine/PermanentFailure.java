package dev.tlab.trainer.engine;

/**
 * Marks an error that cannot succeed on a retry of the same job (a model that cannot be loaded, data that does not
 * match its digest): the job fails at once instead of spending its retry budget.
 */
public interface PermanentFailure {}
