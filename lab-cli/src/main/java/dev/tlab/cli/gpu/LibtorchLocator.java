package dev.tlab.cli.gpu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a CUDA build of the libtorch version DJL's JNI library was built for, where a user is likely to have one: a
 * folder named on the command line, {@code PYTORCH_LIBRARY_PATH}, DJL's own cache (a machine where DJL once downloaded
 * the cu128 natives), the lab's {@code .lab/libtorch}, and a Python environment with PyTorch installed (DJL 0.36.0's
 * pytorch-engine README documents pointing {@code PYTORCH_LIBRARY_PATH} at {@code torch/lib}). Every place looked at is
 * reported with what was found there, so a miss says exactly what is missing.
 */
public final class LibtorchLocator {
    /** DJL's cache folder names: {@code <version>[-<build date>]-<flavor>-<os>-<arch>}. */
    private static final Pattern DJL_FOLDER =
            Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-\\d+)?-((?:cpu|cu\\d{3})(?:-precxx11)?)-linux-.+");

    private static final Pattern PY_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern PY_CUDA = Pattern.compile("(?m)^cuda(?:\\s*:[^=]*)?\\s*=\\s*['\"]([\\d.]+)['\"]");
    private static final String PYTHON_PROBE = "import os, torch; print(torch.__version__); print(torch.version.cuda);"
            + " print(os.path.dirname(torch.__file__))";

    private final String expectedVersion;
    private final Map<String, String> env;
    private final Path home;
    private final Path labWork;
    private final List<String> python;

    /**
     * @param expectedVersion the libtorch version of DJL's JNI library
     * @param env the environment (PYTORCH_LIBRARY_PATH, ENGINE_CACHE_DIR, DJL_CACHE_DIR)
     * @param labWork the lab's work folder ({@code .lab})
     * @param python the Python interpreter command to ask for PyTorch
     */
    public LibtorchLocator(
            String expectedVersion, Map<String, String> env, Path home, Path labWork, List<String> python) {
        this.expectedVersion = expectedVersion;
        this.env = env;
        this.home = home;
        this.labWork = labWork;
        this.python = python;
    }

    /** A usable libtorch: its lib folder, version and flavour, where it was found, and its CUDA runtime library. */
    public record Found(Path folder, String version, String flavor, String source, Path cudart, List<String> notes) {}

    /** The libtorch found (null when none) and every place looked at, with what was there. */
    public record Result(Found found, List<String> lookedAt) {}

    public Result locate(Path explicit) {
        List<String> lookedAt = new ArrayList<>();
        if (explicit != null) {
            Found found = check(explicit, "--libtorch " + explicit, null, null, lookedAt);
            return new Result(found, lookedAt);
        }
        String libraryPath = env.get("PYTORCH_LIBRARY_PATH");
        if (libraryPath == null || libraryPath.isBlank()) {
            lookedAt.add("PYTORCH_LIBRARY_PATH: not set");
        } else {
            for (String entry : libraryPath.split(File.pathSeparator)) {
                Found found = check(Path.of(entry), "PYTORCH_LIBRARY_PATH=" + entry, null, null, lookedAt);
                if (found != null) {
                    return new Result(found, lookedAt);
                }
            }
        }
        for (Path cache : djlCaches()) {
            Found found = checkEach(cache, "DJL's cache " + cache, lookedAt);
            if (found != null) {
                return new Result(found, lookedAt);
            }
        }
        Found staged =
                checkEach(labWork.resolve("libtorch"), "the lab's folder " + labWork.resolve("libtorch"), lookedAt);
        if (staged != null) {
            return new Result(staged, lookedAt);
        }
        return new Result(fromPython(lookedAt), lookedAt);
    }

    private List<Path> djlCaches() {
        List<Path> caches = new ArrayList<>();
        for (String setting : List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR")) {
            String value = env.get(setting);
            if (value != null && !value.isBlank()) {
                caches.add(Path.of(value, "pytorch"));
            }
        }
        caches.add(home.resolve(".djl.ai/pytorch"));
        return caches.stream().distinct().toList();
    }

    private Found checkEach(Path parent, String source, List<String> lookedAt) {
        List<Path> folders = subfolders(parent);
        if (folders.isEmpty()) {
            lookedAt.add(source + ": nothing there");
            return null;
        }
        for (Path folder : folders) {
            Found found = check(folder, source, null, null, lookedAt);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private Found fromPython(List<String> lookedAt) {
        String who = String.join(" ", python);
        List<String> command = new ArrayList<>(python);
        command.add("-c");
        command.add(PYTHON_PROBE);
        HostGpus.Output out = HostGpus.run(command);
        List<String> lines = out.text().lines().filter(l -> !l.isBlank()).toList();
        if (out.exitCode() != 0 || lines.size() < 3) {
            String last = lines.isEmpty() ? "exit status " + out.exitCode() : lines.get(lines.size() - 1);
            lookedAt.add(who + ": no PyTorch (" + last + ")");
            return null;
        }
        String version = lines.get(lines.size() - 3).trim();
        String cuda = lines.get(lines.size() - 2).trim();
        Path lib = Path.of(lines.get(lines.size() - 1).trim(), "lib");
        String flavor = "None".equals(cuda) ? "cpu" : "cu" + cuda.replace(".", "");
        return check(lib, who + " (PyTorch " + version + ")", version, flavor, lookedAt);
    }

    /** Whether DJL could train on a GPU with this folder; what was found there goes to {@code lookedAt}. */
    private Found check(Path given, String source, String knownVersion, String knownFlavor, List<String> lookedAt) {
        Path folder = libFolder(given);
        if (folder == null) {
            lookedAt.add(source + ": no libtorch.so in " + given);
            return null;
        }
        String[] label = label(folder);
        String version = knownVersion != null ? knownVersion : label[0];
        String flavor = knownFlavor != null ? knownFlavor : label[1];
        String plainVersion = version == null ? null : version.replaceAll("[+-].*", "");
        if (!Files.exists(folder.resolve("libtorch_cuda.so"))) {
            lookedAt.add(
                    source + ": " + folder + " is a CPU build of libtorch" + (version == null ? "" : " " + version));
            return null;
        }
        if (plainVersion != null && !plainVersion.equals(expectedVersion)) {
            lookedAt.add(source + ": " + folder + " is libtorch " + version + ", but DJL's JNI library is built for "
                    + expectedVersion);
            return null;
        }
        if (flavor != null && !flavor.startsWith("cu12")) {
            lookedAt.add(source + ": " + folder + " is the " + flavor + " build; DJL's JNI library is built for cu128");
            return null;
        }
        List<String> notes = new ArrayList<>();
        if (version == null) {
            notes.add("the version of " + folder + " is not written next to it; DJL needs " + expectedVersion);
        }
        if (flavor == null) {
            notes.add("the CUDA version of " + folder
                    + " is not written next to it; DJL's JNI library is built for cu128");
        } else if (!flavor.equals("cu128")) {
            notes.add(flavor + " build: DJL's JNI library is built for cu128; other CUDA 12 builds usually work");
        }
        lookedAt.add(source + ": " + folder + " (libtorch " + (version == null ? "?" : version) + ", CUDA build)");
        return new Found(
                folder,
                plainVersion == null ? expectedVersion : plainVersion,
                flavor == null ? "cu128" : flavor,
                source,
                cudart(folder),
                notes);
    }

    /** The folder DJL would load: the one holding libtorch.so (the folder itself, a file in it, or its lib/). */
    static Path libFolder(Path given) {
        Path p = given.toAbsolutePath().normalize();
        if (Files.isRegularFile(p) && p.getFileName().toString().equals("libtorch.so")) {
            return p.getParent();
        }
        if (Files.isRegularFile(p.resolve("libtorch.so"))) {
            return p;
        }
        if (Files.isRegularFile(p.resolve("lib/libtorch.so"))) {
            return p.resolve("lib");
        }
        return null;
    }

    /**
     * Version and flavour written next to a libtorch folder, each null when unknown: the official archive's (and the
     * CUDA image's) {@code build-version} ("2.7.1+cu128"), a pip installation's {@code torch/version.py}, or DJL's
     * folder name.
     */
    static String[] label(Path folder) {
        for (Path file : List.of(folder.resolve("build-version"), folder.resolveSibling("build-version"))) {
            String text = read(file);
            if (text != null && !text.isBlank()) {
                String v = text.trim();
                return new String[] {v.replaceAll("\\+.*", ""), v.contains("+") ? v.substring(v.indexOf('+') + 1) : null
                };
            }
        }
        String py = read(folder.resolveSibling("version.py"));
        if (py != null) {
            Matcher v = PY_VERSION.matcher(py);
            Matcher c = PY_CUDA.matcher(py);
            return new String[] {
                v.find() ? v.group(1).replaceAll("\\+.*", "") : null,
                c.find() ? "cu" + c.group(1).replace(".", "") : null
            };
        }
        Matcher djl = DJL_FOLDER.matcher(folder.getFileName().toString());
        if (djl.matches()) {
            return new String[] {djl.group(1), djl.group(2).replace("-precxx11", "")};
        }
        return new String[] {null, null};
    }

    /** The CUDA runtime library shipped with that libtorch (its own folder, or pip's nvidia/cuda_runtime), or null. */
    static Path cudart(Path folder) {
        for (Path dir :
                List.of(folder, folder.resolve("../../nvidia/cuda_runtime/lib").normalize())) {
            for (Path file : subfiles(dir)) {
                String name = file.getFileName().toString();
                if (name.startsWith("libcudart") && name.contains(".so")) {
                    return file;
                }
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> subfolders(Path dir) {
        return list(dir).stream().filter(Files::isDirectory).toList();
    }

    private static List<Path> subfiles(Path dir) {
        return list(dir).stream().filter(Files::isRegularFile).toList();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
