package dev.tlab.trainer.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A test's main class run in a JVM of its own on this classpath (libtorch fixes some settings at engine start). */
final class ChildJvm {

    record Run(int exitCode, String output) {}

    private ChildJvm() {}

    /** Runs {@code main} with the JVM options and arguments, OpenMP workers sleeping and DJL offline; waits 5 min. */
    static Run run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
