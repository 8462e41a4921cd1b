package dev.tlab.trainer.job;

import java.util.Optional;

/**
 * Looks at the device after a job failed: a failure that left it unusable (a sticky CUDA error) is not the job's fault,
 * so the job is released for another trainer instead of failing, and this trainer is taken out of service.
 */
@FunctionalInterface
public interface DeviceCheck {
    /**
     * @return why the device is unusable after this failure (the trainer has then been taken out of service), or empty
     *     when it still works
     */
    Optional<String> unusableAfter(RuntimeException failure);

    /** For runs without a device to check (tests of the messaging alone). */
    DeviceCheck NONE = failure -> Optional.empty();
}
