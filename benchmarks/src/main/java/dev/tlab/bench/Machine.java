package dev.tlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: CPUs, memory, load, operating system and Java. */
final class Machine {

    private Machine() {}

    static ObjectNode describe() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("processors", Runtime.getRuntime().availableProcessors());
        n.put("cpuModel", cpuModel());
        n.put(
                "cpuFlags",
                String.join(
                        " ",
                        cpuFlags().stream().filter(Machine::mattersForSpeed).toList()));
        n.put("nativeBf16", hasNativeBf16());
        n.put("memTotalMiB", Memory.procFileMiB(Path.of("/proc/meminfo"), "MemTotal:"));
        n.put("loadAverage", loadAverage());
        n.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        n.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return n;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /**
     * Whether the CPU has bfloat16 arithmetic (AVX-512 BF16 or AMX); without it oneDNN emulates bf16 convolutions at a
     * fraction of float32's speed, so bf16 is a GPU or recent-Xeon setting.
     */
    static boolean hasNativeBf16() {
        List<String> flags = cpuFlags();
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    private static boolean mattersForSpeed(String flag) {
        return flag.startsWith("avx") || flag.startsWith("amx") || flag.equals("fma") || flag.equals("f16c");
    }

    static List<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return List.of();
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
    static String loadAverage() {
        try {
            List<String> parts =
                    List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
            return String.join(" ", parts.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
