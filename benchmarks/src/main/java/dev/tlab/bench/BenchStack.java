package dev.tlab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.StackSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stack the system benchmarks drive: lab-cli's local stack (a real KRaft broker and the three packaged services as
 * processes) on free loopback ports, small synthetic data, CPU trainers with one data thread. Its start time is a row.
 */
final class BenchStack {
    private static final List<String> SERVICES = List.of("dataset-service", "trainer-service", "results-service");

    private BenchStack() {}

    /** Which packaged services are missing (their quarkus-run.jar), empty when the stack can start. */
    static List<String> missingJars(Path root) {
        List<String> missing = new ArrayList<>();
        for (String s : SERVICES) {
            Path jar = root.resolve(s).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                missing.add(root.relativize(jar).toString());
            }
        }
        return missing;
    }

    /** The local stack with {@code trainers} trainers in {@code work/section}, on free ports. */
    static LocalStack start(Path root, Path work, String section, int trainers, Consumer<ObjectNode> sink)
            throws IOException {
        int kafka = freePortPair();
        StackSettings settings = new StackSettings(
                root,
                work.resolve(section),
                StackSettings.LOOPBACK,
                kafka,
                freePort(),
                freePort(),
                freePort(),
                trainers,
                Map.of(
                        "tlab.dataset.synthetic.images-per-class",
                        "20",
                        "tlab.dataset.synthetic.test-images-per-class",
                        "10"),
                Map.of("tlab.trainer.device", "cpu", "tlab.trainer.data-threads", "1"),
                Map.of());
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(settings, line -> System.out.println("[stack] " + line));
        ObjectNode up = Rows.row(section);
        up.put("startSeconds", (System.nanoTime() - t0) / 1e9).put("trainers", trainers);
        sink.accept(up);
        return stack;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose successor is free too (the local broker puts its controller on port + 1). */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = freePort();
            try (ServerSocket next = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no two consecutive free ports found");
    }
}
