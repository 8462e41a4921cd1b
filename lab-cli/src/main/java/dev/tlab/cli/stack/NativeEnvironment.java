package dev.tlab.cli.stack;

import java.util.Map;

/**
 * The environment a trainer process should start with: libtorch's OpenMP and glibc's allocator read it once, when
 * the process starts, so it cannot be set from inside the JVM. Every launcher of a trainer uses it (the local
 * stack, the GPU check, the benchmarks); the trainer images set the same values with ENV (deploy's DockerfilesTest
 * holds them to it).
 */
public final class NativeEnvironment {

    /**
     * glibc's malloc (which libtorch's CPU allocator calls) with a fixed mmap threshold of 1 MiB, and transparent huge
     * pages asked for (madvise) on what it maps. Why: by default the threshold grows to 32 MiB as big blocks are freed,
     * after which the activations of a 224 px step (2 to 30 MB each) come from malloc's arenas and stay resident
     * there, fragmented: a full fine-tuning process peaked between 2.4 and 2.6 GB, run to run, against 1.8 GB with
     * this, every time (docs/benchmarks.md, "Memory"). Mapping each big tensor anew costs page faults, about a tenth
     * of a step with 4 KiB pages; with huge pages it measured as fast as the default. Unknown tunables are ignored,
     * so older glibc (before 2.35, no {@code hugetlb}) and other C libraries start as before.
     */
    public static final String GLIBC_TUNABLES = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=1048576";

    /**
     * The variables, by name: libgomp's workers sleep when idle rather than spin ({@code OMP_WAIT_POLICY}: on a shared
     * CPU spinning workers can cut throughput tenfold, see NOTES), and the allocator above.
     */
    public static final Map<String, String> TRAINER = Map.of("OMP_WAIT_POLICY", "PASSIVE",
            "GLIBC_TUNABLES", GLIBC_TUNABLES);

    private NativeEnvironment() {
    }
}
