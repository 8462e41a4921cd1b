package dev.tlab.cli;

import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Local stacks for the integration tests: free ports, a fresh work folder under target/, CPU-only trainers. */
final class TestStacks {
    private TestStacks() {}

    /**
     * @param name prefix of the work folder and of the progress lines
     * @param imagesPerClass synthetic training images per class the dataset service generates
     * @param trainerConfig extra trainer properties
     */
    static LocalStack start(String name, int trainers, int imagesPerClass, Map<String, String> trainerConfig) {
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        Path work = root.resolve("lab-cli/target/" + name + "-" + System.currentTimeMillis());
        Map<String, String> trainer =
                new HashMap<>(Map.of("tlab.trainer.device", "cpu", "tlab.trainer.data-threads", "1"));
        trainer.putAll(trainerConfig);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StackSettings settings = new StackSettings(
                root,
                work,
                StackSettings.LOOPBACK,
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                trainers,
                Map.of(
                        "tlab.dataset.synthetic.images-per-class",
                        Integer.toString(imagesPerClass),
                        "tlab.dataset.synthetic.test-images-per-class",
                        "10"),
                trainer,
                Map.of());
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(settings, line -> System.out.println("[" + name + "] " + line));
        System.out.printf("[%s] stack up in %d ms%n", name, (System.nanoTime() - started) / 1_000_000);
        return stack;
    }

    /** A free port for the first trainer; the next trainers take the ports after it, so leave a gap. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
