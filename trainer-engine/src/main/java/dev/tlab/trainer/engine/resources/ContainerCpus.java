package dev.tlab.trainer.engine.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How many CPUs this process may use, as its container was given them, rather than the node's.
 *
 * <p>JDK 17's {@code Runtime.availableProcessors()} already honours a CPU limit (the CFS quota) and the cpuset, but a
 * pod with a CPU request and no limit has no quota, and since JDK-8281181 (17.0.5) the JDK ignores CPU shares: such a
 * pod then sees every CPU of the node, e.g. 96 on a large GPU node while it was granted 8. This reads, in order:
 *
 * <ol>
 *   <li>the quota: cgroup v2 {@code cpu.max} ({@code "<quota> <period>"}, {@code max} for none) of the process's cgroup
 *       and its ancestors (the smallest wins), or cgroup v1 {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us};
 *   <li>else the request, from the share Kubernetes derives from it: cgroup v1 {@code cpu.shares} (request x 1024) or
 *       cgroup v2 {@code cpu.weight} (the same shares mapped to 1..10000 as runc and the kubelet do, {@code 1 + (shares
 *       - 2) x 9999 / 262142}); the defaults (1024, 100) mean "not set", as the JDK used to read them;
 *   <li>else {@code availableProcessors()}.
 * </ol>
 *
 * The result never exceeds {@code availableProcessors()} (the cpuset) and is at least 1.
 *
 * @param cpus the CPUs this container may use (a quota may be fractional: 1.5)
 * @param source where the figure came from, for the log
 */
public record ContainerCpus(double cpus, String source) {

    static final String V1_DEFAULT_SHARES = "1024";
    static final String V2_DEFAULT_WEIGHT = "100";

    /** This process's allowance, from {@code /sys/fs/cgroup} and {@code /proc/self/cgroup}. */
    public static ContainerCpus detect() {
        return read(
                Path.of("/sys/fs/cgroup"),
                Path.of("/proc/self/cgroup"),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param cgroupRoot where the cgroup file systems are mounted ({@code /sys/fs/cgroup})
     * @param selfCgroup the process's cgroup membership ({@code /proc/self/cgroup})
     * @param available what the JVM reports ({@code availableProcessors()}): the upper bound
     */
    public static ContainerCpus read(Path cgroupRoot, Path selfCgroup, int available) {
        Optional<ContainerCpus> found;
        try {
            found = Files.isRegularFile(cgroupRoot.resolve("cgroup.controllers"))
                    ? v2(cgroupRoot, membership(selfCgroup, "")) // "0::/path"
                    : v1(cgroupRoot, membership(selfCgroup, "cpu"));
        } catch (IOException | RuntimeException e) {
            found = Optional.empty(); // unreadable or unexpected: the JVM's own figure
        }
        return found.map(c -> c.cpus() > available
                        ? new ContainerCpus(available, c.source() + ", capped by availableProcessors() " + available)
                        : c)
                .map(c -> c.cpus() < 1 ? new ContainerCpus(1, c.source() + ", at least 1") : c)
                .orElse(new ContainerCpus(available, "availableProcessors() (no CPU quota or request found)"));
    }

    /** Data threads for this allowance: half the CPUs (the rest train), at least 2, or {@code configured} if set. */
    public int dataThreads(int configured) {
        return configured > 0 ? configured : Math.max(2, (int) Math.floor(cpus / 2));
    }

    private static Optional<ContainerCpus> v2(Path root, String cgroup) throws IOException {
        Path leaf = existing(root, cgroup);
        Double quota = null;
        String quotaSource = null;
        for (Path dir = leaf; dir != null && dir.startsWith(root); dir = dir.getParent()) {
            Path max = dir.resolve("cpu.max");
            if (Files.isRegularFile(max)) {
                String[] f = Files.readString(max).trim().split("\\s+");
                if (!f[0].equals("max")) {
                    double cpus = Double.parseDouble(f[0]) / Double.parseDouble(f.length > 1 ? f[1] : "100000");
                    if (quota == null || cpus < quota) {
                        quota = cpus;
                        quotaSource = "cgroup v2 cpu.max " + String.join(" ", f) + " of " + root.relativize(dir);
                    }
                }
            }
            if (dir.equals(root)) {
                break;
            }
        }
        if (quota != null) {
            return Optional.of(new ContainerCpus(quota, quotaSource));
        }
        Path weightFile = leaf.resolve("cpu.weight");
        if (Files.isRegularFile(weightFile)) {
            String weight = Files.readString(weightFile).trim();
            if (!weight.equals(V2_DEFAULT_WEIGHT)) {
                double shares = 2 + (Long.parseLong(weight) - 1) * 262142.0 / 9999;
                return Optional.of(new ContainerCpus(
                        Math.round(shares / 1024 * 10) / 10.0, "CPU request from cgroup v2 cpu.weight " + weight));
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerCpus> v1(Path root, String cgroup) throws IOException {
        Path mount = List.of("cpu,cpuacct", "cpu", "cpuacct,cpu").stream()
                .map(root::resolve)
                .filter(Files::isDirectory)
                .findFirst()
                .orElse(null);
        if (mount == null) {
            return Optional.empty();
        }
        Path dir = existing(mount, cgroup);
        Path quotaFile = dir.resolve("cpu.cfs_quota_us");
        if (Files.isRegularFile(quotaFile)) {
            long quota = Long.parseLong(Files.readString(quotaFile).trim());
            if (quota > 0) {
                long period = Long.parseLong(
                        Files.readString(dir.resolve("cpu.cfs_period_us")).trim());
                return Optional.of(new ContainerCpus(
                        (double) quota / period, "cgroup v1 cpu.cfs_quota_us " + quota + " / cfs_period_us " + period));
            }
        }
        Path sharesFile = dir.resolve("cpu.shares");
        if (Files.isRegularFile(sharesFile)) {
            String shares = Files.readString(sharesFile).trim();
            if (!shares.equals(V1_DEFAULT_SHARES)) {
                return Optional.of(new ContainerCpus(
                        Math.round(Long.parseLong(shares) / 1024.0 * 10) / 10.0,
                        "CPU request from cgroup v1 cpu.shares " + shares));
            }
        }
        return Optional.empty();
    }

    /** The process's cgroup path for a controller ({@code ""} is cgroup v2's unified line {@code 0::/path}), or "/". */
    private static String membership(Path selfCgroup, String controller) throws IOException {
        if (!Files.isRegularFile(selfCgroup)) {
            return "/";
        }
        for (String line : Files.readAllLines(selfCgroup)) {
            String[] f = line.split(":", 3);
            if (f.length == 3
                    && (controller.isEmpty()
                            ? f[1].isEmpty()
                            : List.of(f[1].split(",")).contains(controller))) {
                return f[2];
            }
        }
        return "/";
    }

    /**
     * The process's own cgroup folder under a mount, or the mount itself: inside a container the mount usually is the
     * container's cgroup already while {@code /proc/self/cgroup} still names the host's path.
     */
    private static Path existing(Path mount, String cgroup) {
        String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        Path dir = relative.isEmpty() ? mount : mount.resolve(relative).normalize();
        return dir.startsWith(mount) && Files.isDirectory(dir) ? dir : mount;
    }
}
