package dev.tlab.trainer.engine.speed;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints what a {@link SpeedCheck} measured: a table per strategy and the projected time of the notebook's study. */
public final class SpeedReport {
    private SpeedReport() {}

    /** The table for a terminal, with what each column means. */
    public static void print(PrintStream out, SpeedCheck check, List<StrategySpeed> all, boolean gpu) {
        out.println();
        out.printf(
                Locale.ROOT,
                "%-9s %12s %10s %11s %10s %10s %12s%n",
                "strategy",
                "trainable",
                "train/s",
                "model-only",
                "data wait",
                "eval/s",
                "GPU memory");
        for (StrategySpeed f : all) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %,12d %10.1f %11.1f %9.0f%% %10.1f %12s%n",
                    f.strategy(),
                    f.trainable(),
                    f.fedImagesPerSecond(),
                    f.modelImagesPerSecond(),
                    100 * f.dataWaitShare(),
                    f.evalImagesPerSecond(),
                    gib(f.memoryInUse()));
        }
        out.println("  train/s: images per second fed by the trainer's batch pipeline (what a job sees);"
                + " model-only: the same steps on one prepared batch; data wait: share of the step time spent"
                + " waiting for batches; eval/s: evaluation images per second (eval mode, no autograd)");
        for (StrategySpeed f : all) {
            out.printf(
                    "  %s: the optimizer step made %d tensors from host numbers (%d fused kernel calls, %d scalars"
                            + " passed by value)%n",
                    f.strategy(),
                    f.optimizerStep().scalarTensors(),
                    f.optimizerStep().fusedCalls(),
                    f.optimizerStep().scalarArguments());
        }
        if (gpu) {
            out.printf(
                    "Peak GPU memory in use: %s (before the first model: %s). Device-wide figure from"
                            + " cudaMemGetInfo (DJL's CudaUtils): PyTorch's cached blocks plus the CUDA context; DJL 0.36"
                            + " exposes no max_memory_allocated.%n",
                    gib(check.peakMemory()), gib(check.memoryBefore()));
        }
        double sequential =
                all.stream().mapToDouble(StrategySpeed::projectedSeconds).sum();
        double parallel =
                all.stream().mapToDouble(StrategySpeed::projectedSeconds).max().orElse(0);
        out.println();
        out.printf(
                "Projected time of the notebook's experiment (%d strategies x %d epochs x %,d images, then"
                        + " %,d test images each), at %d px:%n",
                all.size(),
                StrategySpeed.EPOCHS,
                StrategySpeed.TRAIN_IMAGES,
                StrategySpeed.TEST_IMAGES,
                check.imageSize());
        out.printf("  one trainer, the strategies one after another: %s%n", duration(sequential));
        out.printf(
                "  one trainer per strategy (%d on %d devices like this one, in parallel): %s%n",
                all.size(), all.size(), duration(parallel));
        out.println("  (training at train/s, evaluation at eval/s, plus the measured model load, warm-up and a"
                + " checkpoint per epoch; data download and JVM start not included)");
    }

    /** The same figures as a Markdown table, ready for docs/benchmarks.md. */
    public static void printMarkdown(PrintStream out, SpeedCheck check, List<StrategySpeed> all, String device) {
        out.println();
        out.printf(
                Locale.ROOT,
                "| strategy | trainable | train img/s (pipeline) | train img/s (model only) | data wait | eval img/s |"
                        + " device memory | host scalar copies per step | projected study share |%n");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (StrategySpeed f : all) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %.1f | %.1f | %.0f%% | %.1f | %s | %d | %s |%n",
                    f.strategy(),
                    f.trainable(),
                    f.fedImagesPerSecond(),
                    f.modelImagesPerSecond(),
                    100 * f.dataWaitShare(),
                    f.evalImagesPerSecond(),
                    gib(f.memoryInUse()),
                    f.optimizerStep().scalarTensors(),
                    duration(f.projectedSeconds()));
        }
        out.printf(
                Locale.ROOT,
                "%n%s, %d px, batches %d/%d, %d warm-up + %d timed steps per strategy, %d data threads; peak device"
                        + " memory %s. Host scalar copies per step: tensors the optimizer step made from host numbers"
                        + " (each a blocking host-to-device copy on a GPU), counted by the optimizer's step trace.%n",
                device,
                check.imageSize(),
                check.hyperParameters().trainBatchSize(),
                check.hyperParameters().evalBatchSize(),
                SpeedCheck.WARM_UP_STEPS,
                check.steps(),
                check.dataThreads(),
                gib(check.peakMemory()));
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%d h %02d min", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%d min %02d s", s / 60, s % 60) : s + " s";
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
