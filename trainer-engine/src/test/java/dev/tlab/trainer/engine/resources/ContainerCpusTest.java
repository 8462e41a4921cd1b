package dev.tlab.trainer.engine.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPUs a container was given, from fake cgroup v1 and v2 file systems laid out as Linux and Kubernetes do. */
class ContainerCpusTest {
    private static final int NODE = 96;

    @TempDir
    Path dir;

    @Test
    void aV2QuotaIsTheLimitAndTheSmallestAncestorWins() throws IOException {
        Path root = v2Root();
        write(root.resolve("kubepods/pod1/cpu.max"), "150000 100000\n");
        write(root.resolve("kubepods/pod1/ctr/cpu.max"), "400000 100000\n");
        write(root.resolve("kubepods/pod1/ctr/cpu.weight"), "157\n");
        ContainerCpus cpus = ContainerCpus.read(root, self("0::/kubepods/pod1/ctr\n"), NODE);
        assertEquals(1.5, cpus.cpus());
        assertTrue(cpus.source().contains("cpu.max 150000 100000"), cpus.source());
        assertEquals(2, cpus.dataThreads(0), "at least two data threads");
    }

    @Test
    void aV2RequestWithoutLimitIsReadFromTheWeightKubernetesSets() throws IOException {
        Path root = v2Root();
        write(root.resolve("cpu.max"), "max 100000\n");
        // a request of 8 CPUs: shares 8192, weight 1 + (8192 - 2) * 9999 / 262142 = 313
        write(root.resolve("cpu.weight"), "313\n");
        ContainerCpus cpus = ContainerCpus.read(root, self("0::/\n"), NODE);
        assertEquals(8.0, cpus.cpus(), cpus.source());
        assertEquals(4, cpus.dataThreads(0), "half the CPUs");
        assertEquals(3, cpus.dataThreads(3), "a configured number wins");
    }

    @Test
    void v2DefaultsMeanNothingWasSetSoTheJvmsFigureStands() throws IOException {
        Path root = v2Root();
        write(root.resolve("cpu.max"), "max 100000\n");
        write(root.resolve("cpu.weight"), "100\n");
        assertEquals(NODE, ContainerCpus.read(root, self("0::/\n"), NODE).cpus());
    }

    @Test
    void theHostsPathFromProcSelfCgroupFallsBackToTheContainersOwnMount() throws IOException {
        Path root = v2Root();
        write(root.resolve("cpu.max"), "200000 100000\n");
        ContainerCpus cpus = ContainerCpus.read(root, self("0::/kubepods.slice/not-mounted-here\n"), NODE);
        assertEquals(2.0, cpus.cpus());
    }

    @Test
    void aV1QuotaAndAV1RequestCappedByTheCpuset() throws IOException {
        Path quota = dir.resolve("quota");
        write(quota.resolve("cpu,cpuacct/cpu.cfs_quota_us"), "250000\n");
        write(quota.resolve("cpu,cpuacct/cpu.cfs_period_us"), "100000\n");
        assertEquals(
                2.5,
                ContainerCpus.read(quota, self("4:cpu,cpuacct:/docker/abc\n"), NODE)
                        .cpus());

        Path shares = dir.resolve("shares");
        write(shares.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        write(shares.resolve("cpu/cpu.cfs_period_us"), "100000\n");
        write(shares.resolve("cpu/cpu.shares"), "8192\n");
        ContainerCpus capped = ContainerCpus.read(shares, self("3:cpu:/\n"), 4);
        assertEquals(4.0, capped.cpus(), "never more than availableProcessors() (the cpuset)");
        assertTrue(capped.source().contains("cpu.shares 8192"), capped.source());
    }

    @Test
    void noCgroupFilesGiveTheJvmsFigure() {
        ContainerCpus cpus = ContainerCpus.read(dir.resolve("none"), dir.resolve("none/cgroup"), 6);
        assertEquals(6.0, cpus.cpus());
        assertEquals(3, cpus.dataThreads(0));
    }

    private Path v2Root() throws IOException {
        Path root = dir.resolve("v2");
        write(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        return root;
    }

    private Path self(String content) throws IOException {
        Path file = dir.resolve("self-cgroup-" + content.hashCode());
        write(file, content);
        return file;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
