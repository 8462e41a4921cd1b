package dev.tlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: CPUs, memory, load, operating system and Java. */
final class Machine {

    private Machine() {
    }

    static ObjectNode describe() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("processors", Runtime.getRuntime().availableProcessors());
        n.put("cpuModel", cpuModel());
        n.put("memTotalMiB", Memory.procFileMiB(Path.of("/proc/meminfo"), "MemTotal:"));
        n.put("loadAverage", loadAverage());
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
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

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
    static String loadAverage() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
            return String.join(" ", parts.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
