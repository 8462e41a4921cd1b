package dev.tlab.trainer.health;

import dev.tlab.trainer.job.DeviceCheck;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells a failed job from a broken device. A CUDA error that corrupts the context (an illegal memory access, a
 * device-side assert, a launch failure) is sticky: every later CUDA call on that process fails too, so retrying on this
 * trainer can only fail again and the process must be replaced. Such a failure is recognised two ways: by the messages
 * libtorch gives (PyTorch's {@code c10_cuda_check_implementation} throws "CUDA error: " followed by
 * {@code cudaGetErrorString}, e.g. "an illegal memory access was encountered", "device-side assert triggered";
 * {@code C10_CUDA_DRIVER_CHECK} throws "CUDA driver error: "), and by a small computation on the device after any job
 * failure (a broken device fails it whatever the job's error said). A CUDA out-of-memory error is the job's (its batch
 * is too large), not the device's: the next job may fit.
 */
public final class DeviceFaults implements DeviceCheck {
    private static final List<String> STICKY_CUDA_MESSAGES = List.of(
            "CUDA error", "CUDA driver error", "cudaError", "device-side assert", "CUBLAS_STATUS_EXECUTION_FAILED");

    private final Supplier<Optional<String>> probe;
    private final Consumer<String> outOfService;

    /**
     * @param probe runs a small computation on the training device: why it failed, or empty when it worked
     * @param outOfService takes the trainer out of service with the reason (liveness DOWN, no more jobs)
     */
    public DeviceFaults(Supplier<Optional<String>> probe, Consumer<String> outOfService) {
        this.probe = probe;
        this.outOfService = outOfService;
    }

    @Override
    public Optional<String> unusableAfter(RuntimeException failure) {
        Optional<String> fault = cudaError(failure).map(m -> "the job failed with a CUDA error: " + m);
        if (fault.isEmpty()) {
            fault = probe.get()
                    .map(reason -> "after a job failed (" + firstLine(failure.getMessage()) + "): " + reason);
        }
        fault.ifPresent(outOfService);
        return fault;
    }

    /** The first line of the first message in the error's causes that libtorch gives for a sticky CUDA error. */
    static Optional<String> cudaError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null
                    && !message.contains("out of memory")
                    && STICKY_CUDA_MESSAGES.stream().anyMatch(message::contains)) {
                return Optional.of(firstLine(message));
            }
        }
        return Optional.empty();
    }

    /** libtorch's messages go on with the C++ stack: its first line says what happened. */
    private static String firstLine(String message) {
        return message == null
                ? "no message"
                : message.lines().findFirst().orElse("").strip();
    }
}
