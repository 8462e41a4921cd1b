package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.OptionalInt;
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
        return ChildJvm.run(List.of("-XX:ActiveProcessorCount=1"), ProbeInOneCpu.class)
                .output();
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
