package dev.tlab.trainer.job;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests to stop a job after a given epoch, as a crash or a drain would, leaving it to be redelivered and resumed
 * from its checkpoint. Checked between batches, so the stop lands exactly after that epoch's checkpoint.
 */
public final class JobStopper {
    private final Map<UUID, Integer> stopAfterEpoch = new ConcurrentHashMap<>();

    public void requestStopAfterEpoch(UUID jobId, int epoch) {
        stopAfterEpoch.put(jobId, epoch);
    }

    /** True once the job has completed the requested epoch; the request is then used up. */
    boolean shouldStop(UUID jobId, int completedEpochs) {
        Integer epoch = stopAfterEpoch.get(jobId);
        return epoch != null && completedEpochs >= epoch && stopAfterEpoch.remove(jobId, epoch);
    }
}
