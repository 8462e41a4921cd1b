package dev.tlab.trainer.engine;

/** The job was stopped between two batches; its last completed epoch stays checkpointed. */
public class TrainingCancelledException extends RuntimeException {

    private final int completedEpochs;

    public TrainingCancelledException(String jobId, int completedEpochs) {
        super("job " + jobId + " was cancelled after " + completedEpochs + " completed epoch(s)");
        this.completedEpochs = completedEpochs;
    }

    public int completedEpochs() {
        return completedEpochs;
    }
}
