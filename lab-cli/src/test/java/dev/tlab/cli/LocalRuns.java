package dev.tlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./lab run} in this JVM as a user types it, on free ports, on the CPU, its output shown on the console and
 * captured for the test's assertions.
 */
final class LocalRuns {
    private LocalRuns() {}

    /** What a run exited with and printed. */
    record Run(int exit, String out) {}

    /**
     * Runs {@code ./lab run} with the test's own arguments, plus the repository root, a fresh work folder named after
     * {@code name} under lab-cli/target, free ports and the CPU.
     */
    static Run run(String name, String... arguments) {
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        Path work = root.resolve("lab-cli/target/" + name + "-" + System.currentTimeMillis());
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(arguments));
        args.addAll(List.of(
                "--root",
                root.toString(),
                "--work-dir",
                work.toString(),
                "--kafka-port",
                Integer.toString(TestStacks.kafkaPort()),
                "--dataset-port",
                Integer.toString(TestStacks.freePort()),
                "--results-port",
                Integer.toString(TestStacks.freePort()),
                "--trainer-port",
                Integer.toString(TestStacks.freePort()),
                "--device",
                "cpu",
                "--timeout",
                "PT10M"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream both = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            exit = Lab.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        return new Run(exit, captured.toString(StandardCharsets.UTF_8));
    }

    /** Writes to the console and to the capture at once, so a failing run still shows its progress. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
