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

    /** libgomp's wait policy variable: {@code PASSIVE} makes an idle worker sleep once its spin count is spent. */
    public static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    /** libgomp's spin count: how many times an idle worker polls before it sleeps (GNU extension, {@code GOMP_}). */
    public static final String SPIN_COUNT = "GOMP_SPINCOUNT";

    /**
     * How long libtorch's idle OpenMP workers spin before they sleep, for a trainer that has its machine's CPUs to
     * itself: about a tenth of a millisecond by libgomp's own estimate of 100,000 spins a millisecond. Why spin at all:
     * between two operators of a step the workers are idle for microseconds; asleep, each operator first wakes them (a
     * futex call) and 32 px steps, hundreds of small operators, trained at 0.6 to 0.8 of the rate with spinning
     * workers; 224 px steps measured level (docs/benchmarks.md, "OpenMP's idle workers"). Why so short: 3,000 and
     * 30,000 spins trained as fast as libgomp's default of 300,000, and what spinning costs where processes share the
     * CPUs grows with it: two trainers at once on these 2 CPUs, each with 2 threads, trained at half the rate with
     * 10,000 spins and at 0.3 with libgomp's default, against sleeping workers. With {@link #WAIT_POLICY} at
     * {@code PASSIVE} libgomp spins this long only while the process runs no more OpenMP threads than it has CPUs, not
     * at all beyond (gcc's libgomp/env.c: the throttled count is 0 under PASSIVE).
     */
    public static final String SPIN_COUNT_ALONE = "10000";

    /**
     * The variables every trainer gets, by name: libgomp's workers sleep when idle rather than spin for long
     * ({@code OMP_WAIT_POLICY}: on a shared CPU spinning workers can cut throughput tenfold, see NOTES; a trainer with
     * the CPUs to itself spins briefly, {@link #SPIN_COUNT_ALONE}), and glibc's allocator as above (in force wherever
     * tcmalloc is not preloaded: {@link #trainer()}).
     */
    public static final Map<String, String> TRAINER = Map.of(WAIT_POLICY, "PASSIVE", "GLIBC_TUNABLES", GLIBC_TUNABLES);

    /**
     * The environment a launcher gives the one trainer process it starts on this machine: see {@link #trainer(int)}.
     *
     * @throws IllegalArgumentException {@link TrainerAllocator#VARIABLE} names no allocator
     * @throws IllegalStateException it asks for tcmalloc and this machine has none
     */
    public static Map<String, String> trainer() {
        return trainer(1);
    }

    /**
     * The environment a launcher gives each of {@code trainersOnTheseCpus} trainer processes that share this machine's
     * CPUs: {@link #TRAINER}, libgomp's short spin where a trainer has the CPUs to itself ({@link #openMp(int)}), and
     * the allocator that {@link TrainerAllocator#VARIABLE} chooses (tcmalloc preloaded where installed, by default).
     *
     * @throws IllegalArgumentException {@link TrainerAllocator#VARIABLE} names no allocator
     * @throws IllegalStateException it asks for tcmalloc and this machine has none
     */
    public static Map<String, String> trainer(int trainersOnTheseCpus) {
        return trainer(System.getenv(), TrainerAllocator.LIBRARY_FOLDERS, trainersOnTheseCpus);
    }

    /**
     * libgomp's waiting for each of {@code trainersOnTheseCpus} trainers on one machine's CPUs: workers that sleep when
     * idle, after {@link #SPIN_COUNT_ALONE} spins where one trainer has the CPUs to itself. Several trainers on the
     * same CPUs do not spin: each would burn the CPU time the others wait for. A peer measured against a trainer (the
     * benchmarks' PyTorch side) gets the same.
     */
    public static Map<String, String> openMp(int trainersOnTheseCpus) {
        return trainersOnTheseCpus <= 1
                ? Map.of(WAIT_POLICY, "PASSIVE", SPIN_COUNT, SPIN_COUNT_ALONE)
                : Map.of(WAIT_POLICY, "PASSIVE");
    }

    static Map<String, String> trainer(
            Map<String, String> launcherEnvironment, List<Path> libraryFolders, int trainersOnTheseCpus) {
        Map<String, String> environment = new HashMap<>(TRAINER);
        environment.putAll(openMp(trainersOnTheseCpus));
        if (launcherEnvironment.containsKey(SPIN_COUNT)) {
            environment.remove(SPIN_COUNT); // the operator's own spin count, inherited, stays in force
        }
        environment.putAll(TrainerAllocator.of(launcherEnvironment).preload(launcherEnvironment, libraryFolders));
        return Map.copyOf(environment);
    }

    /**
     * In words, for a launcher's log: how the trainers' idle OpenMP workers wait, from an environment of
     * {@link #trainer(int)} and the launcher's own (where its {@code GOMP_SPINCOUNT} is inherited).
     */
    public static String describeOpenMp(Map<String, String> trainerEnvironment) {
        return describeOpenMp(trainerEnvironment, System.getenv());
    }

    static String describeOpenMp(Map<String, String> trainerEnvironment, Map<String, String> launcherEnvironment) {
        String spins = trainerEnvironment.get(SPIN_COUNT);
        if (spins == null && launcherEnvironment.containsKey(SPIN_COUNT)) {
            return "the launcher's " + SPIN_COUNT + "=" + launcherEnvironment.get(SPIN_COUNT) + ", then sleep";
        }
        return spins == null
                ? "sleep when idle (trainers share these CPUs)"
                : "spin " + spins + " times, then sleep (" + SPIN_COUNT + "; one trainer on these CPUs)";
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
