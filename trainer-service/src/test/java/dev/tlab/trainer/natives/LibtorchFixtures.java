package dev.tlab.trainer.natives;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The jars of the trainer's runtime classpath, official-archive look-alikes and the natives stage's script. */
final class LibtorchFixtures {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path STAGE_SCRIPT = MODULE.resolve("src/main/docker/stage-libtorch.sh");
    static final Path DOCKERFILE = MODULE.resolve("src/main/docker/Dockerfile.cuda");
    static final Path LINKAGE_SCRIPT = MODULE.resolve("src/main/docker/check-linkage.sh");

    private LibtorchFixtures() {}

    /** The runtime classpath Maven resolved for this module (target/runtime.classpath). */
    static List<Path> runtimeClasspath() {
        try {
            String text =
                    Files.readString(MODULE.resolve("target/runtime.classpath")).trim();
            return Arrays.stream(text.split(java.io.File.pathSeparator))
                    .map(Path::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("run the tests through Maven, which writes target/runtime.classpath", e);
        }
    }

    static Path jar(String artifactPrefix) {
        return runtimeClasspath().stream()
                .filter(p -> p.getFileName().toString().startsWith(artifactPrefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError(artifactPrefix + " is not on the runtime classpath"));
    }

    static Path jniJar() {
        return jar("pytorch-jni-");
    }

    /**
     * An unpacked official libtorch archive ({@code libtorch/lib} and {@code libtorch/build-version}) holding the CPU
     * libtorch of pytorch-native-cpu, the one libtorch available here.
     */
    static Path cpuArchive(Path root, String buildVersion) throws IOException {
        Path lib = Files.createDirectories(root.resolve("libtorch/lib"));
        try (ZipFile natives = new ZipFile(jar("pytorch-native-cpu-").toFile())) {
            String prefix = "pytorch/cpu/linux-x86_64/";
            for (ZipEntry e : natives.stream()
                    .filter(e -> e.getName().startsWith(prefix) && !e.isDirectory())
                    .toList()) {
                try (InputStream in = natives.getInputStream(e)) {
                    Files.copy(
                            in,
                            lib.resolve(e.getName().substring(prefix.length())),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(root.resolve("libtorch/build-version"), buildVersion + "\n");
        return lib;
    }

    /** An archive look-alike with empty files of the given names (the script only looks at names). */
    static Path fakeArchive(Path root, String buildVersion, String... libraries) throws IOException {
        Path lib = Files.createDirectories(root.resolve("libtorch/lib"));
        for (String name : libraries) {
            Files.writeString(lib.resolve(name), "");
        }
        Files.writeString(root.resolve("libtorch/build-version"), buildVersion + "\n");
        return lib;
    }

    /** An entry of a jar, as bytes. */
    static byte[] entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    record Run(int exitCode, String output) {}

    /** Runs the natives stage's script as the Dockerfile does, without SOURCE_DATE_EPOCH. */
    static Run stage(Path sourceLib, String flavor, Path out) throws IOException, InterruptedException {
        return stage(sourceLib, flavor, out, null);
    }

    /** Runs the natives stage's script with the given SOURCE_DATE_EPOCH (null: none). */
    static Run stage(Path sourceLib, String flavor, Path out, String sourceDateEpoch)
            throws IOException, InterruptedException {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("SOURCE_DATE_EPOCH", sourceDateEpoch);
        return run(
                List.of(
                        "bash",
                        STAGE_SCRIPT.toString(),
                        sourceLib.toString(),
                        flavor,
                        jniJar().toString(),
                        out.toString()),
                env);
    }

    /** Runs a command; {@code env} entries with a null value are removed from the inherited environment. */
    static Run run(List<String> command, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            env.forEach((k, v) -> {
                if (v == null) {
                    builder.environment().remove(k);
                } else {
                    builder.environment().put(k, v);
                }
            });
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "still running: " + command);
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
