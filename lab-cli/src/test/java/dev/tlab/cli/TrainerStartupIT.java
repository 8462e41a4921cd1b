package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.stack.NativeEnvironment;
import dev.tlab.cli.stack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged trainer, started as Kubernetes would start it on a node without a usable GPU: it does not sit unready
 * forever holding the GPU it was given, but exits with code 3 and the reason once tlab.trainer.startup.deadline has
 * passed, so that the pod is restarted (and, failing again, shows CrashLoopBackOff with the reason in its log).
 */
class TrainerStartupIT {
    @Test
    void aTrainerWhoseDeviceNeverBecomesUsableExitsWithTheReason() throws Exception {
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        Path work = root.resolve("lab-cli/target/startup-" + System.currentTimeMillis());
        int port = TestStacks.freePort();
        Map<String, String> config = Map.of(
                "quarkus.http.host",
                "127.0.0.1",
                // no broker: the trainer must exit on its own, whatever Kafka does
                "kafka.bootstrap.servers",
                "127.0.0.1:" + TestStacks.freePort(),
                "tlab.trainer.device",
                "gpu",
                "tlab.trainer.startup.deadline",
                "PT3S",
                "tlab.trainer.startup.probe-interval",
                "PT1S",
                "tlab.trainer.checkpoint-dir",
                work.resolve("checkpoints").toString(),
                "tlab.trainer.model-cache",
                work.resolve("models").toString(),
                "tlab.trainer.model-store",
                work.resolve("model-store").toString(),
                "tlab.trainer.data-cache",
                work.resolve("data").toString());
        IllegalStateException exited = assertThrows(
                IllegalStateException.class,
                () -> ServiceProcess.start(
                                "trainer-service",
                                root.resolve("trainer-service/target/quarkus-app/quarkus-run.jar"),
                                "127.0.0.1",
                                port,
                                config,
                                NativeEnvironment.trainer(),
                                work.resolve("trainer.log"),
                                Duration.ofMinutes(3))
                        .close());
        String message = exited.getMessage();
        assertTrue(message.contains("exited with code 3 while starting"), message);
        String exit = Files.readAllLines(work.resolve("trainer.log")).stream()
                .filter(line -> line.contains("this trainer exits with code 3"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exit line in " + work.resolve("trainer.log")));
        assertTrue(exit.contains("device 'gpu' was requested"), "with the reason: " + exit);
        assertTrue(exit.contains("tlab.trainer.startup.deadline=PT3S"), exit);
    }
}
