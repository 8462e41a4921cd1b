package dev.tlab.trainer.engine.resources;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JVM's cap on direct buffers ({@code ByteBuffer.allocateDirect}), where the batch pipeline stages its pixels: an
 * allocation past it fails with "Cannot reserve direct buffer memory".
 */
public final class DirectMemory {
    private DirectMemory() {}

    /**
     * {@code -XX:MaxDirectMemorySize} when set; otherwise the JVM's default, which is the maximum heap
     * ({@code Runtime.maxMemory()}, as {@code jdk.internal.misc.VM} sets it at start): a quarter of the container's
     * memory with the trainer images' {@code -XX:MaxRAMPercentage=25}. Read through the HotSpot diagnostic MXBean; a
     * JVM without it gets the default.
     */
    public static long max() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(hotSpot.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) {
                return set;
            }
        } catch (RuntimeException | LinkageError e) {
            // no HotSpot MXBean (another JVM, or jdk.management left out of the runtime image): the default below
        }
        return Runtime.getRuntime().maxMemory();
    }
}
