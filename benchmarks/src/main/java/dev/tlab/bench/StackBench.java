package dev.tlab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The system figures of docs/spec.md §8 on lab-cli's local stack ({@link BenchStack}): request-to-JobStarted and
 * request-to-first-EpochCompleted ({@link RequestLatency}), the results service's ingest rate ({@link IngestLoad}), and
 * GET /experiments/{id} latency under a fixed request rate ({@link GetLoad}). Each figure goes to {@code sink} as a
 * row.
 */
final class StackBench {
    private final Path root;
    private final Path work;
    private final Consumer<ObjectNode> sink;
    private final boolean quick;

    StackBench(Path root, Path work, Consumer<ObjectNode> sink, boolean quick) {
        this.root = root;
        this.work = work;
        this.sink = sink;
        this.quick = quick;
    }

    void run(boolean pipeline, boolean results) throws Exception {
        Files.createDirectories(work);
        if (pipeline) {
            try (LocalStack stack = BenchStack.start(root, work, "stack", 1, sink)) {
                RequestLatency.measure(stack, quick, sink);
            }
        }
        if (results) {
            // No trainer: the results cases announce their experiments with TrainingJobs on training-jobs, as the
            // dataset service does, and a trainer would take those jobs and train them while the service ingests.
            try (LocalStack stack = BenchStack.start(root, work, "results-stack", 0, sink)) {
                // Many experiments of the notebook's shape, then the few large ones. The first run meets a
                // service whose JIT has compiled little of the event path yet: it is reported apart, as the cold
                // figure, and the same shape is measured again into new experiments.
                // The warm figure is the median of three runs after two warm-up runs (reported, not counted): on two
                // shared CPUs the JIT of the service and of the broker keeps compiling the event path through the
                // first 60,000-90,000 events (runs of 19,000, 26,000, then 34,000-39,000 events/s), so the runs
                // right after the cold one said more about when they were taken than about a running service.
                int notebook = quick ? 100 : 1000;
                IngestLoad.measure(
                        stack,
                        new IngestLoad.Shape(
                                notebook, 3, 10, "notebook-shaped experiments (3 jobs x 10 epochs), cold service"),
                        0,
                        1,
                        sink);
                IngestLoad.measure(
                        stack,
                        new IngestLoad.Shape(notebook, 3, 10, "notebook-shaped experiments (3 jobs x 10 epochs)"),
                        quick ? 0 : 2,
                        quick ? 1 : 3,
                        sink);
                IngestLoad.measure(
                        stack,
                        new IngestLoad.Shape(4, quick ? 5 : 25, 1000, "few large experiments (25 jobs x 1,000 epochs)"),
                        0,
                        1,
                        sink);
                GetLoad.measure(stack, quick, sink);
            }
        }
    }
}
