package dev.tlab.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The C allocator a trainer process runs with, chosen by {@value #VARIABLE} in the launcher's environment: gperftools'
 * tcmalloc where it is installed ({@code auto}, the default), or glibc's malloc with
 * {@link NativeEnvironment#GLIBC_TUNABLES}. libtorch's CPU tensors come from malloc; glibc maps each block above its
 * mmap threshold on its own and unmaps it when freed, so every 224 px step faulted its activations in afresh (40,000 to
 * 64,000 page faults a step); tcmalloc keeps freed spans for the next step. Measured on a 2-core AMD EPYC, 224 px
 * channels-last: freeze, partial and full 16-17% faster a step, peak resident memory of full training +4% (2,005
 * against 1,928 MiB, PyTorch's process 2,119); PyTorch's own process gains the same with it (docs/benchmarks.md,
 * "tcmalloc"). The library is preloaded ({@code LD_PRELOAD}) because the allocator must be in place before the JVM's
 * first malloc.
 */
public enum TrainerAllocator {
    /** tcmalloc where installed, glibc's malloc otherwise; a launcher environment with its own LD_PRELOAD keeps it. */
    AUTO,
    /** tcmalloc, and a start that fails, saying what to install, where it is not. */
    TCMALLOC,
    /** glibc's malloc with the trainers' tunables, as before tcmalloc. */
    GLIBC;

    /** The launcher's variable that chooses: {@code auto} (the default), {@code tcmalloc} or {@code glibc}. */
    public static final String VARIABLE = "TLAB_TRAINER_ALLOCATOR";
    /** gperftools' tcmalloc without its profilers, by its soname (Debian and Ubuntu install it under this name). */
    public static final String TCMALLOC_LIBRARY = "libtcmalloc_minimal.so.4";
    /** What installs it: the package was renamed in the 64-bit time_t transition (Ubuntu 24.04, Debian 13). */
    public static final String INSTALL_HINT = "apt-get install libtcmalloc-minimal4t64 (Ubuntu 24.04, Debian 13) or"
            + " libtcmalloc-minimal4 (Debian 12, Ubuntu 22.04)";
    /** Where Debian-family and other common layouts keep shared libraries, multiarch folders first. */
    static final List<Path> LIBRARY_FOLDERS = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"),
            Path.of("/usr/lib64"),
            Path.of("/usr/lib"),
            Path.of("/usr/local/lib"));

    /** The setting a launcher environment names; an unknown value fails naming the variable and the choices. */
    public static TrainerAllocator of(Map<String, String> launcherEnvironment) {
        String configured = launcherEnvironment.getOrDefault(VARIABLE, "").strip();
        if (configured.isEmpty()) {
            return AUTO;
        }
        try {
            return valueOf(configured.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    VARIABLE + "=" + configured + " is not a trainer allocator: use auto, tcmalloc or glibc");
        }
    }

    /** The tcmalloc library in the first of the folders that has it. */
    static Optional<Path> findTcmalloc(List<Path> folders) {
        return folders.stream()
                .map(folder -> folder.resolve(TCMALLOC_LIBRARY))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /**
     * The variables this setting adds to the trainers' native environment: {@code LD_PRELOAD} naming tcmalloc, or
     * nothing.
     *
     * @throws IllegalStateException {@code tcmalloc} where none of the folders has it
     */
    Map<String, String> preload(Map<String, String> launcherEnvironment, List<Path> folders) {
        if (this == GLIBC) {
            return Map.of();
        }
        Optional<Path> library = findTcmalloc(folders);
        if (this == TCMALLOC && library.isEmpty()) {
            throw new IllegalStateException(VARIABLE + "=tcmalloc, but " + TCMALLOC_LIBRARY + " is in none of "
                    + folders + ": " + INSTALL_HINT + ", or set " + VARIABLE + "=glibc");
        }
        String inherited = launcherEnvironment.getOrDefault("LD_PRELOAD", "").strip();
        if (library.isEmpty() || (this == AUTO && !inherited.isEmpty())) {
            return Map.of();
        }
        String preload = inherited.isEmpty() ? library.get().toString() : library.get() + " " + inherited;
        return Map.of("LD_PRELOAD", preload);
    }
}
