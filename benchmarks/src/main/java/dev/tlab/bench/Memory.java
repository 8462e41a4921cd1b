package dev.tlab.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Peak memory of this process: resident set from /proc (Linux) and the JVM heap pools' peaks. */
public final class Memory {

    private Memory() {}

    /** VmHWM (peak resident set) in MiB, or NaN where /proc/self/status is not readable. */
    public static double peakRssMiB() {
        return procStatusMiB("VmHWM:");
    }

    public static double rssMiB() {
        return procStatusMiB("VmRSS:");
    }

    /** Sum of the heap pools' peak usage in MiB (an upper bound of the heap actually live at once). */
    public static double peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    public static double maxHeapMiB() {
        return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
    }

    static double procStatusMiB(String key) {
        return procFileMiB(Path.of("/proc/self/status"), key);
    }

    /** A "Key: 123 kB" value of a /proc file in MiB, NaN where unreadable. */
    static double procFileMiB(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return parseKiB(lines, key) / 1024.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The value in kB of a "Key: 123 kB" line of /proc/PID/status, NaN if absent. */
    static double parseKiB(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                return Double.parseDouble(parts[0]);
            }
        }
        return Double.NaN;
    }
}
