package dev.tlab.trainer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A broken device is told from a failed job by libtorch's CUDA messages, or by a probe that fails after the job. */
class DeviceFaultsTest {
    private final List<String> outOfService = new ArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();

    private DeviceFaults faults(Optional<String> probeResult) {
        return new DeviceFaults(
                () -> {
                    probes.incrementAndGet();
                    return probeResult;
                },
                outOfService::add);
    }

    /** The messages c10_cuda_check_implementation and C10_CUDA_DRIVER_CHECK build (PyTorch 2.7, c10/cuda). */
    @Test
    void stickyCudaErrorsAreRecognisedByLibtorchsMessages() {
        for (String message : List.of(
                "CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously"
                        + " reported at some other API call, so the stacktrace below might be incorrect.",
                "CUDA error: device-side assert triggered\nCompile with `TORCH_USE_CUDA_DSA` to enable device-side"
                        + " assertions.",
                "CUDA error: unspecified launch failure",
                "CUDA driver error: an illegal memory access was encountered",
                "CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasSgemm( handle, opa, opb, m, n, k)`",
                "cudaErrorIllegalAddress")) {
            outOfService.clear();
            Optional<String> fault = faults(Optional.empty()).unusableAfter(new EngineException(message));
            assertTrue(fault.isPresent(), message);
            assertTrue(fault.get().contains(message.lines().findFirst().orElseThrow()), fault.get());
            assertTrue(!fault.get().contains("\n"), "the first line is the reason: " + fault.get());
            assertEquals(List.of(fault.get()), outOfService, "the trainer is taken out of service");
        }
        assertEquals(0, probes.get(), "the message is enough");
    }

    @Test
    void aCudaErrorWrappedByTheEngineIsFoundInTheCauses() {
        RuntimeException wrapped = new IllegalStateException(
                "training step failed", new EngineException("CUDA error: an illegal memory access was encountered"));
        assertTrue(faults(Optional.empty()).unusableAfter(wrapped).isPresent());
    }

    @Test
    void outOfMemoryIsTheJobsNotTheDevices() {
        Optional<String> fault = faults(Optional.empty())
                .unusableAfter(new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB"));
        assertEquals(Optional.empty(), fault);
        fault = faults(Optional.empty()).unusableAfter(new EngineException("CUDA error: out of memory"));
        assertEquals(Optional.empty(), fault);
        assertEquals(List.of(), outOfService);
    }

    @Test
    void anyOtherFailureIsCheckedWithTheProbe() {
        Optional<String> fault = faults(Optional.of("libtorch cannot run on gpu(0): CUDA error: unknown error"))
                .unusableAfter(new IllegalStateException("the step returned NaN\nat frame 3"));
        assertTrue(fault.isPresent());
        assertEquals(
                "after a job failed (the step returned NaN): libtorch cannot run on gpu(0): CUDA error: unknown error",
                fault.get());
        assertEquals(List.of(fault.get()), outOfService);

        outOfService.clear();
        assertEquals(
                Optional.empty(),
                faults(Optional.empty()).unusableAfter(new IllegalStateException("the dataset service answered 503")));
        assertEquals(List.of(), outOfService, "a device that still computes stays in service");
        assertEquals(2, probes.get());
    }
}
