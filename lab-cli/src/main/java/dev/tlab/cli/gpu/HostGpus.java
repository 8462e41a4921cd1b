package dev.tlab.cli.gpu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The NVIDIA GPUs of this machine as its driver reports them: {@code nvidia-smi} when it is on the PATH, else the
 * kernel module's files under {@code /proc/driver/nvidia}. No CUDA library is needed for this, so it also explains a
 * machine where DJL would only say "0 GPUs".
 *
 * @param gpus one line per GPU (index, name, memory), empty when none
 * @param driverVersion the NVIDIA driver version, or null
 * @param driverCuda the newest CUDA version the driver supports (nvidia-smi's "CUDA Version"), or null
 * @param problem why no GPU can be used, or null
 */
public record HostGpus(List<String> gpus, String driverVersion, String driverCuda, String problem) {
    private static final Pattern CUDA_VERSION = Pattern.compile("CUDA Version: (\\d+\\.\\d+)");
    private static final Pattern MODULE_VERSION = Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+(?:\\.\\d+)+)");

    public HostGpus {
        gpus = List.copyOf(gpus);
    }

    public boolean present() {
        return problem == null;
    }

    /**
     * @param root the file system root ({@code /}; tests give a folder that looks like one)
     * @param path the PATH to look for {@code nvidia-smi} on
     */
    public static HostGpus detect(Path root, String path) {
        Path smi = onPath("nvidia-smi", path);
        if (smi != null) {
            return fromNvidiaSmi(smi);
        }
        Path version = root.resolve("proc/driver/nvidia/version");
        if (!Files.isRegularFile(version)) {
            return new HostGpus(
                    List.of(),
                    null,
                    null,
                    "no NVIDIA driver: nvidia-smi is not on the PATH and " + version
                            + " does not exist (no NVIDIA kernel module is loaded; in a container, start it with the NVIDIA"
                            + " container toolkit, e.g. docker run --gpus all, or on Kubernetes with a nvidia.com/gpu limit)");
        }
        String driver = null;
        try {
            Matcher m = MODULE_VERSION.matcher(Files.readString(version));
            driver = m.find() ? m.group(1) : null;
        } catch (IOException e) {
            // reported as unknown below
        }
        List<String> gpus = fromProc(root.resolve("proc/driver/nvidia/gpus"));
        return new HostGpus(
                gpus,
                driver,
                null,
                gpus.isEmpty()
                        ? "the NVIDIA driver " + (driver == null ? "" : driver + " ")
                                + "is loaded but lists no GPU under " + root.resolve("proc/driver/nvidia/gpus")
                        : null);
    }

    private static HostGpus fromNvidiaSmi(Path smi) {
        Output query = run(
                List.of(smi.toString(), "--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader"));
        if (query.exitCode() != 0) {
            String first = query.text().lines().findFirst().orElse("exit status " + query.exitCode());
            return new HostGpus(List.of(), null, null, "nvidia-smi failed: " + first);
        }
        List<String> gpus = new ArrayList<>();
        String driver = null;
        for (String line : query.text().lines().filter(l -> !l.isBlank()).toList()) {
            int last = line.lastIndexOf(',');
            gpus.add(last < 0 ? line.trim() : line.substring(0, last).trim());
            driver = last < 0 ? driver : line.substring(last + 1).trim();
        }
        Matcher cuda = CUDA_VERSION.matcher(run(List.of(smi.toString())).text());
        return new HostGpus(
                gpus, driver, cuda.find() ? cuda.group(1) : null, gpus.isEmpty() ? "nvidia-smi lists no GPU" : null);
    }

    private static List<String> fromProc(Path gpusFolder) {
        List<String> gpus = new ArrayList<>();
        if (!Files.isDirectory(gpusFolder)) {
            return gpus;
        }
        try (Stream<Path> entries = Files.list(gpusFolder)) {
            for (Path gpu : entries.sorted().toList()) {
                String model = "unknown model";
                Path information = gpu.resolve("information");
                if (Files.isRegularFile(information)) {
                    model = Files.readAllLines(information).stream()
                            .filter(l -> l.startsWith("Model:"))
                            .map(l -> l.substring("Model:".length()).trim())
                            .findFirst()
                            .orElse(model);
                }
                gpus.add(gpus.size() + ", " + model + " (bus " + gpu.getFileName() + ")");
            }
        } catch (IOException e) {
            // an unreadable folder lists nothing
        }
        return gpus;
    }

    static Path onPath(String program, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    record Output(int exitCode, String text) {}

    static Output run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(124, command.get(0) + " did not answer within 60 s");
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Output(127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(130, "interrupted");
        }
    }
}
