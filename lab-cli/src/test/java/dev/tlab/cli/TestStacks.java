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
                kafkaPort(),
                freePort(),
                freePort(),
                freePorts(trainers + MAX_JOINING_TRAINERS),
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

    /**
     * A port for a local stack's broker: the stack puts the broker's KRaft controller on the next port, so both must be
     * free (a taken controller port fails the broker's start with "Address already in use").
     */
    static int kafkaPort() {
        return freePorts(2);
    }

    /** Trainers a test may add to a running stack (LocalStack.addTrainer); they take the ports after the first ones. */
    static final int MAX_JOINING_TRAINERS = 3;

    /**
     * The first of {@code count} consecutive ports that are free now: a stack's trainers listen on the first trainer's
     * port and the ones after it, and a port taken by another process (an ephemeral port of this shared machine's other
     * clients) would fail the start with "Port ... seems to be in use".
     */
    static int freePorts(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            if (first + count - 1 <= 65_535 && allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket ignored = new ServerSocket(port)) {
                // free now
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** One free port (a service of its own). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
