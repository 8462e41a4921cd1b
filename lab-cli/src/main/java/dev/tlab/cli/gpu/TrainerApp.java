package dev.tlab.cli.gpu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged trainer ({@code trainer-service/target/quarkus-app}) as the GPU check runs it: its classes and libraries
 * without any {@code pytorch-native-*} jar, as the CUDA image has them (a natives jar would let DJL fall back to the
 * CPU build), and the versions DJL's JNI jar was built for.
 */
public record TrainerApp(Path folder) {
    private static final Pattern JNI_JAR =
            Pattern.compile("ai\\.djl\\.pytorch\\.pytorch-jni-(\\d+\\.\\d+\\.\\d+)-(\\d+\\.\\d+\\.\\d+)\\.jar");

    public static TrainerApp in(Path root) {
        return new TrainerApp(root.resolve("trainer-service/target/quarkus-app")
                .toAbsolutePath()
                .normalize());
    }

    public boolean built() {
        return Files.isDirectory(folder.resolve("lib/main")) && Files.isDirectory(folder.resolve("app"));
    }

    /** The classpath of the check's JVM: the application jar and its libraries, minus the CPU natives. */
    public String classpath() {
        List<String> entries = new ArrayList<>();
        for (String sub : List.of("app", "lib/boot", "lib/main")) {
            for (Path jar : jars(folder.resolve(sub))) {
                if (!jar.getFileName().toString().startsWith("ai.djl.pytorch.pytorch-native-")) {
                    entries.add(jar.toString());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** DJL's pytorch-jni jar, which holds the JNI library per flavour. */
    public Path jniJar() {
        return jars(folder.resolve("lib/main")).stream()
                .filter(j -> JNI_JAR.matcher(j.getFileName().toString()).matches())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no pytorch-jni jar in " + folder.resolve("lib/main")));
    }

    /** The libtorch version DJL's JNI library was built for (2.7.1 for pytorch-jni-2.7.1-0.36.0). */
    public String libtorchVersion() {
        Matcher m = JNI_JAR.matcher(jniJar().getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("unexpected JNI jar name " + jniJar());
        }
        return m.group(1);
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
