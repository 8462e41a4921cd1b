package dev.tlab.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the launchers make libtorch's idle OpenMP workers wait: a short spin for a trainer alone on its CPUs. */
class TrainerOpenMpTest {

    @Test
    void aTrainerAloneOnItsCpusSpinsBrieflyBeforeItsWorkersSleep() {
        Map<String, String> env = NativeEnvironment.trainer(Map.of(), List.of(), 1);
        assertEquals("PASSIVE", env.get(NativeEnvironment.WAIT_POLICY));
        assertEquals(NativeEnvironment.SPIN_COUNT_ALONE, env.get(NativeEnvironment.SPIN_COUNT));
        assertEquals(
                "spin 10000 times, then sleep (GOMP_SPINCOUNT; one trainer on these CPUs)",
                NativeEnvironment.describeOpenMp(env, Map.of()));
    }

    @Test
    void trainersSharingTheCpusDoNotSpin() {
        Map<String, String> env = NativeEnvironment.trainer(Map.of(), List.of(), 3);
        assertEquals("PASSIVE", env.get(NativeEnvironment.WAIT_POLICY));
        assertFalse(env.containsKey(NativeEnvironment.SPIN_COUNT), env.toString());
        assertEquals("sleep when idle (trainers share these CPUs)", NativeEnvironment.describeOpenMp(env, Map.of()));
        assertEquals(Map.of(NativeEnvironment.WAIT_POLICY, "PASSIVE"), NativeEnvironment.openMp(2));
    }

    @Test
    void theLaunchersOwnSpinCountIsInheritedUnchanged() {
        Map<String, String> launcher = Map.of(NativeEnvironment.SPIN_COUNT, "0");
        Map<String, String> env = NativeEnvironment.trainer(launcher, List.of(), 1);
        // absent from what the launcher sets, so the process inherits the operator's value
        assertFalse(env.containsKey(NativeEnvironment.SPIN_COUNT), env.toString());
        assertEquals("the launcher's GOMP_SPINCOUNT=0, then sleep", NativeEnvironment.describeOpenMp(env, launcher));
    }

    /**
     * The variables reach the OpenMP runtime libtorch ships (its own libgomp, which reads them once, when it is
     * loaded): a JVM started with the trainer's environment loads the engine, and libgomp's OMP_DISPLAY_ENV report
     * shows them.
     */
    @Test
    void libtorchsOpenMpRuntimeTakesTheTrainersSettings() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                        ServiceProcess.javaExecutable(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoadsLibtorch.class.getName())
                .redirectErrorStream(true);
        pb.environment().remove(NativeEnvironment.SPIN_COUNT);
        pb.environment().putAll(NativeEnvironment.trainer(Map.of(), List.of(), 1));
        pb.environment().put("OMP_DISPLAY_ENV", "VERBOSE");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OMP_WAIT_POLICY = 'PASSIVE'"), out);
        assertTrue(out.contains("GOMP_SPINCOUNT = '" + NativeEnvironment.SPIN_COUNT_ALONE + "'"), out);
    }

    /** Loads the PyTorch engine (and with it libtorch's libgomp) and exits. */
    public static final class LoadsLibtorch {
        public static void main(String[] args) {
            System.out.println("engine " + Engine.getEngine("PyTorch").getVersion());
        }
    }
}
