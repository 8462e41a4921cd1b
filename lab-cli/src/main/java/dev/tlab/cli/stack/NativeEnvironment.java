package dev.tlab.cli.stack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a trainer process should start with: libtorch's OpenMP and glibc's allocator read it once, when the
 * process starts, so it cannot be set from inside the JVM. Every launcher of a trainer uses it (the local stack, the
 * GPU check, the benchmarks); the trainer images set the same values with ENV (deploy's DockerfilesTest holds them to
 * it).
 */
public final class NativeEnvironment {

    /**
     * glibc's malloc (which libtorch's CPU allocator calls) with a fixed mmap threshold of 8 MiB, transparent huge
     * pages asked for (madvise) on what it maps, and a trim threshold of 16 MiB. Why the mmap threshold: by default it
     * grows to 32 MiB as big blocks are freed, after which the activations of a 224 px step (6 to 32 MB each at batch
     * 64) come from malloc's arenas and stay resident there, fragmented: a full fine-tuning process peaked between 2.4
     * and 2.6 GB, run to run, against 1.8-1.9 GB with this (docs/benchmarks.md, "Memory"). Why 8 MiB and huge pages: a
     * block mapped on its own costs page faults each time; with a 1 MiB threshold the small, short-lived tensors of a
     * 32 px step were mapped too and trained a quarter slower, and without huge pages (at 1 MiB) even 224 px lost about
     * a tenth. Why the trim threshold: fixing the mmap threshold also fixes glibc's trim threshold at its 128 KiB
     * default (glibc raises both together only while it adjusts them itself, the trim threshold to twice the mmap
     * threshold), so the free memory at the top of an arena was given back to the kernel after nearly every step and
     * faulted in again, zeroed, by the next: about 17,000 page faults per step at 32 px (full or partial), against a
     * few hundred to 2,600 with 16 MiB, which trains 16-30% faster at 32 px, level at 224 px, for at most 16 MiB more
     * per arena (docs/benchmarks.md, "Where the time goes, bf16, and the allocator"). Unknown tunables are ignored, so
     * an older glibc (before 2.35: no {@code hugetlb}) or another C library starts as before.
     */
    public static final String GLIBC_TUNABLES =
            "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=16777216";

    /**
     * The variables every trainer gets, by name: libgomp's workers sleep when idle rather than spin
     * ({@code OMP_WAIT_POLICY}: on a shared CPU spinning workers can cut throughput tenfold, see NOTES), and glibc's
     * allocator as above (in force wherever tcmalloc is not preloaded: {@link #trainer()}).
     */
    public static final Map<String, String> TRAINER =
            Map.of("OMP_WAIT_POLICY", "PASSIVE", "GLIBC_TUNABLES", GLIBC_TUNABLES);

    /**
     * The environment a launcher gives a trainer process it starts: {@link #TRAINER} and the allocator that
     * {@link TrainerAllocator#VARIABLE} chooses (tcmalloc preloaded where installed, by default).
     *
     * @throws IllegalArgumentException the variable names no allocator
     * @throws IllegalStateException it asks for tcmalloc and this machine has none
     */
    public static Map<String, String> trainer() {
        return trainer(System.getenv(), TrainerAllocator.LIBRARY_FOLDERS);
    }

    static Map<String, String> trainer(Map<String, String> launcherEnvironment, List<Path> libraryFolders) {
        Map<String, String> environment = new HashMap<>(TRAINER);
        environment.putAll(TrainerAllocator.of(launcherEnvironment).preload(launcherEnvironment, libraryFolders));
        return Map.copyOf(environment);
    }

    /**
     * In words, for a launcher's log: the allocator an environment from {@link #trainer()} gives the trainers, and
     * where {@code auto} found no tcmalloc, what installs it.
     */
    public static String describeAllocator(Map<String, String> trainerEnvironment) {
        return describeAllocator(trainerEnvironment, System.getenv());
    }

    static String describeAllocator(Map<String, String> trainerEnvironment, Map<String, String> launcherEnvironment) {
        String preload = trainerEnvironment.getOrDefault("LD_PRELOAD", "").strip();
        if (preload.contains(TrainerAllocator.TCMALLOC_LIBRARY)) {
            return "tcmalloc (LD_PRELOAD=" + preload + ")";
        }
        String inherited = launcherEnvironment.getOrDefault("LD_PRELOAD", "").strip();
        if (!inherited.isEmpty()) {
            return "the launcher's LD_PRELOAD=" + inherited;
        }
        if (TrainerAllocator.of(launcherEnvironment) == TrainerAllocator.GLIBC) {
            return "glibc malloc (" + TrainerAllocator.VARIABLE + "=glibc)";
        }
        return "glibc malloc: " + TrainerAllocator.TCMALLOC_LIBRARY + " is not installed; with it 224 px steps trained"
                + " about a sixth faster (" + TrainerAllocator.INSTALL_HINT + ")";
    }

    private NativeEnvironment() {}
}
