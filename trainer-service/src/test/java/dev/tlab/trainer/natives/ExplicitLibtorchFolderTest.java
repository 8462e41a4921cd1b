package dev.tlab.trainer.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA image's way of loading libtorch, exercised on this CPU machine: a fresh JVM with the trainer's classpath
 * minus pytorch-native-cpu (as the -Dgpu build has it) and the image's settings (PYTORCH_LIBRARY_PATH at a folder made
 * by the natives stage's script, PYTORCH_VERSION, PYTORCH_FLAVOR, DJL_OFFLINE, an empty ENGINE_CACHE_DIR) starts DJL
 * and computes. The CPU libtorch staged as the CPU flavour stands in for the cu128 one. A JVM of its own because
 * libtorch binds once per JVM.
 */
class ExplicitLibtorchFolderTest {

    @Test
    void djlLoadsLibtorchAndItsJniFromTheExplicitFolderAndExtractsNothing(@TempDir Path tmp) throws Exception {
        Path lib = LibtorchFixtures.cpuArchive(tmp.resolve("archive"), "2.7.1+cpu");
        Path folder = tmp.resolve("opt/libtorch/2.7.1-cpu-linux-x86_64");
        LibtorchFixtures.Run staged = LibtorchFixtures.stage(lib, "cpu", folder);
        assertEquals(0, staged.exitCode(), staged.output());
        Path cache = Files.createDirectories(tmp.resolve("djl-cache"));

        Map<String, String> env = imageSettings(folder.toString(), cache);
        LibtorchFixtures.Run run = probe(env);
        Properties report = report(run);
        assertEquals("true", report.getProperty("ready"), run.output());
        assertEquals(
                folder.toRealPath().toString(),
                Path.of(report.getProperty("libtorchPath")).toRealPath().toString());
        assertEquals("PyTorch", report.getProperty("engine"));
        assertEquals("2.7.1", report.getProperty("libtorchVersion"));
        assertEquals("cpu", report.getProperty("flavor"));
        assertEquals("cpu()", report.getProperty("device"), "and a computation ran there");
        assertEquals(folder.toString(), report.getProperty("setting.PYTORCH_LIBRARY_PATH"));
        assertEquals("true", report.getProperty("setting.DJL_OFFLINE"));
        assertEquals(
                List.of(),
                contents(cache),
                "DJL extracted or downloaded nothing: libtorch and JNI came from the folder");
    }

    @Test
    void withoutTheFolderTheSameJvmHasNoLibtorch(@TempDir Path tmp) throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("djl-cache"));
        Map<String, String> env = imageSettings(null, cache);
        LibtorchFixtures.Run run = probe(env);
        assertEquals(6, run.exitCode(), run.output());
        Properties report = report(run);
        assertEquals("false", report.getProperty("ready"));
        assertTrue(report.getProperty("reason").contains("the PyTorch engine did not load"), run.output());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        run = probe(imageSettings(empty.toString(), cache));
        assertEquals(6, run.exitCode(), run.output());
        assertTrue(
                report(run).getProperty("reason").contains("PYTORCH_LIBRARY_PATH=" + empty + " holds no libtorch.so"),
                run.output());
    }

    /** The runtime settings of Dockerfile.cuda, with the CPU flavour standing in for cu128. */
    private static Map<String, String> imageSettings(String libraryPath, Path cache) {
        Map<String, String> env = new HashMap<>();
        if (libraryPath != null) {
            env.put("PYTORCH_LIBRARY_PATH", libraryPath);
        }
        env.put("PYTORCH_VERSION", "2.7.1");
        env.put("PYTORCH_FLAVOR", "cpu");
        env.put("DJL_OFFLINE", "true");
        env.put("ENGINE_CACHE_DIR", cache.toString());
        env.put("DJL_CACHE_DIR", cache.toString());
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    private static LibtorchFixtures.Run probe(Map<String, String> env) throws IOException, InterruptedException {
        List<String> classpath = new ArrayList<>();
        classpath.add(LibtorchFixtures.MODULE.resolve("target/classes").toString());
        int natives = 0;
        for (Path jar : LibtorchFixtures.runtimeClasspath()) {
            if (jar.getFileName().toString().startsWith("pytorch-native-")) {
                natives++;
            } else {
                classpath.add(jar.toString());
            }
        }
        assertEquals(1, natives, "the CPU natives jar was on the classpath and is left out");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, classpath),
                "dev.tlab.trainer.gpu.GpuCheck",
                "--probe-only",
                "--device",
                "cpu");
        Map<String, String> clean = new HashMap<>(env);
        for (String inherited : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_EXTRA_LIBRARY_PATH", "LD_LIBRARY_PATH")) {
            clean.putIfAbsent(inherited, null); // nothing of this machine's set-up leaks into the child
        }
        return LibtorchFixtures.run(command, clean);
    }

    private static Properties report(LibtorchFixtures.Run run) throws IOException {
        Properties p = new Properties();
        StringBuilder lines = new StringBuilder();
        run.output()
                .lines()
                .filter(l -> l.matches("[A-Za-z][\\w.]*=.*"))
                .forEach(l -> lines.append(l).append('\n'));
        p.load(new StringReader(lines.toString().replace("\\", "\\\\")));
        return p;
    }

    private static List<Path> contents(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).toList();
        }
    }
}
