package dev.tlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's CPU time in user and kernel mode and its minor page faults, from /proc/self/stat (Linux; NaN
 * elsewhere). The kernel's share of a training step is mostly page faults: fresh memory zeroed on first touch.
 */
record ProcessCpu(double userSeconds, double systemSeconds, double minorFaults) {

    /** Linux reports these in clock ticks of USER_HZ, 100 per second on every architecture the bench runs on. */
    private static final double TICKS_PER_SECOND = 100;

    static ProcessCpu now() {
        try {
            return parse(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return new ProcessCpu(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * Fields 10 (minflt), 14 (utime) and 15 (stime) of proc(5)'s stat line; the command name (field 2) may hold spaces
     * and parentheses, so count after its last ')'.
     */
    static ProcessCpu parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ProcessCpu(
                Long.parseLong(f[11]) / TICKS_PER_SECOND,
                Long.parseLong(f[12]) / TICKS_PER_SECOND,
                Long.parseLong(f[7]));
    }

    ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(
                userSeconds - earlier.userSeconds,
                systemSeconds - earlier.systemSeconds,
                minorFaults - earlier.minorFaults);
    }
}
