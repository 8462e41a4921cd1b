package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** libtorch's intra-op threads follow the CPUs the process may use, unless the operator chose a count. */
class IntraOpThreadsTest {

    @Test
    void aProcessLimitedBelowTheMachineGetsItsOwnCount() {
        assertEquals(OptionalInt.of(4), IntraOpThreads.fitted(null, null, 4, 64));
        assertEquals(OptionalInt.of(1), IntraOpThreads.fitted("", " ", 1, 2));
    }

    @Test
    void whatTheOperatorSetIsLeftAndTheCountIsNeverRaised() {
        assertEquals(OptionalInt.empty(), IntraOpThreads.fitted("8", null, 4, 64), "-Dai.djl.pytorch.num_threads");
        assertEquals(OptionalInt.empty(), IntraOpThreads.fitted(null, "8", 4, 64), "OMP_NUM_THREADS");
        assertEquals(OptionalInt.empty(), IntraOpThreads.fitted(null, null, 64, 64));
        assertEquals(OptionalInt.empty(), IntraOpThreads.fitted(null, null, 8, 2));
    }

    /**
     * The real engine in a JVM that may use one CPU ({@code -XX:ActiveProcessorCount=1}, as a container's CPU limit
     * reads): after the trainer's start-up probe libtorch runs one intra-op thread, where it started with the machine's
     * count (2 on the 2-CPU machine this was written on, so the test fails there without the fit).
     */
    @Test
    void theStartUpProbeFitsTheRealEngineToTheProcessCpus() throws Exception {
        String output = runProbe();
        assertTrue(output.contains("probe ready=true"), output);
        assertTrue(output.contains("threads after probe=1"), output);
    }

    private static String runProbe() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:ActiveProcessorCount=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProbeInOneCpu.class.getName()))
                .redirectErrorStream(true);
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The child: the engine's own count, then the trainer's start-up probe, then the count again. */
    public static final class ProbeInOneCpu {
        public static void main(String[] args) {
            ai.djl.engine.Engine.getEngine("PyTorch");
            System.out.println("threads before probe=" + JniUtils.getNumThreads());
            EngineReport report = EngineProbe.probe("cpu");
            System.out.println("probe ready=" + report.ready() + " " + report.summary());
            System.out.println("threads after probe=" + JniUtils.getNumThreads());
        }
    }
}
