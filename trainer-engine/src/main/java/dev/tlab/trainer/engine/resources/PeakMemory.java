package dev.tlab.trainer.engine.resources;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The peak memory of one job, for its cost: on a GPU the device memory in use, on a CPU the trainer process's peak
 * resident set size.
 *
 * <ul>
 *   <li>GPU: the device-wide memory in use ({@code cudaMemGetInfo} through DJL's {@code CudaUtils}: PyTorch's cached
 *       blocks and the CUDA context), sampled by {@link #sample} after each epoch and after the evaluation. PyTorch's
 *       caching allocator keeps the blocks it reserved (nothing here empties its cache), so the memory in use after a
 *       pass is at least what the allocator reserved at the pass's peak. DJL 0.36 exposes no
 *       {@code max_memory_allocated}.
 *   <li>CPU: Linux's {@code VmHWM} ({@code /proc/self/status}), the high-water mark of the resident set. A trainer runs
 *       one job at a time, so the mark is reset when the job starts (writing {@code 5} to
 *       {@code /proc/self/clear_refs}, Linux 4.0 and later) and then belongs to the job. Where it cannot be reset (not
 *       Linux, or refused) nothing is reported: a lifetime mark would charge this job with an earlier one's memory.
 * </ul>
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** A job's peak: its bytes and what they measured ({@code device} or {@code process-rss}, contracts' JobCost). */
    public record Reading(Long bytes, String kind) {
        public static final Reading NONE = new Reading(null, null);
    }

    private final LongSupplier deviceInUse;
    private final boolean processReset;
    private long devicePeak;

    private PeakMemory(LongSupplier deviceInUse, boolean processReset) {
        this.deviceInUse = deviceInUse;
        this.processReset = processReset;
    }

    /** Starts measuring a job on {@code device}: samples the device, or resets the process's high-water mark. */
    public static PeakMemory start(Device device) {
        if (device.isGpu()) {
            PeakMemory peak =
                    new PeakMemory(() -> CudaUtils.getGpuMemory(device).getCommitted(), false);
            peak.sample();
            return peak;
        }
        return new PeakMemory(null, resetHighWaterMark());
    }

    /** Samples the device memory in use (on a CPU: nothing to do, the kernel keeps the mark). */
    public void sample() {
        if (deviceInUse != null) {
            devicePeak = Math.max(devicePeak, deviceInUse.getAsLong());
        }
    }

    /** The peak so far (samples the device once more first). */
    public Reading reading() {
        if (deviceInUse != null) {
            sample();
            return new Reading(devicePeak, "device");
        }
        if (!processReset) {
            return Reading.NONE;
        }
        Long hwm = highWaterMarkBytes();
        return hwm == null ? Reading.NONE : new Reading(hwm, "process-rss");
    }

    static boolean resetHighWaterMark() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** {@code VmHWM} of {@code /proc/self/status} in bytes, or null where there is none. */
    static Long highWaterMarkBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:	  218308 kB"
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format this does not know: no figure rather than a wrong one
        }
        return null;
    }
}
