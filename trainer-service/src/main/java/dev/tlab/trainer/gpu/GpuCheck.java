package dev.tlab.trainer.gpu;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import dev.tlab.trainer.engine.DeviceSelector;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.engine.model.BuiltInModels;
import dev.tlab.trainer.engine.model.ModelSource;
import dev.tlab.trainer.engine.speed.SpeedCheck;
import dev.tlab.trainer.engine.speed.SpeedReport;
import dev.tlab.trainer.engine.speed.StrategySpeed;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPU check that {@code ./lab gpu-check} runs in a JVM of its own (libtorch binds once per JVM, and the check must
 * see the libtorch the trainer would): probes the engine as the trainer does at start, then has the engine's
 * {@link SpeedCheck} train the full-size ResNet-18 at 224 px for a few steps per strategy on the device, fed by the
 * trainer's own batch pipeline, and prints training and evaluation images/s, the GPU memory in use and the projected
 * time of the notebook's experiment ({@link SpeedReport}). This class only reads the arguments, probes, picks the
 * device and the model, and prints.
 *
 * <p>Arguments: {@code [--probe-only] [--device D] [--model FILE] [--image-size S] [--steps N] [--data-threads N]
 * [--markdown]}. {@code --probe-only} prints the probe's findings as {@code key=value} lines; {@code --markdown} adds
 * the figures as a Markdown table for docs/benchmarks.md. Exit status: 0 done, 2 bad usage, {@value #NO_GPU} no usable
 * GPU, {@value #NO_CUDA_LIBTORCH} libtorch missing, a CPU build, or failing to load.
 */
public final class GpuCheck {
    public static final int NO_GPU = 5;
    public static final int NO_CUDA_LIBTORCH = 6;
    /**
     * The notebook's experiment (docs/spec.md §2): per strategy, 10 epochs of 3,000 images, then the 10,000 test
     * images.
     */
    static final int EPOCHS = 10;

    static final int TRAIN_IMAGES = 3000;
    static final int TEST_IMAGES = 10000;

    private final PrintStream out;
    private String device = "gpu";
    private Path model;
    private int imageSize = 224;
    private int steps = 20;
    private int dataThreads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    private boolean probeOnly;
    private boolean markdown;

    GpuCheck(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new GpuCheck(System.out).run(args));
    }

    int run(String... args) {
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            out.println("gpu-check: " + e.getMessage());
            return 2;
        }
        EngineReport report = EngineProbe.probe(device);
        if (probeOnly) {
            report.asData().forEach((k, v) -> out.println(k + "=" + v));
            out.println("ready=" + report.ready());
            return report.ready() ? 0 : exitCode(report);
        }
        printEngine(report);
        if (!report.ready()) {
            out.println();
            out.println((exitCode(report) == NO_GPU ? "no GPU: " : "no usable libtorch: ") + report.reason());
            return exitCode(report);
        }
        Device target = DeviceSelector.select(device, report.gpuCount());
        Path modelFile = model != null ? model : unpackBuiltInModel();
        SpeedCheck check = new SpeedCheck(target, modelFile, imageSize, steps, dataThreads);
        out.println();
        out.printf(
                "ResNet-18 (%s), %d px, batches %d (train) and %d (eval); per strategy %d warm-up and %d"
                        + " timed steps; %d data threads%n",
                modelFile.getFileName(),
                imageSize,
                check.hyperParameters().trainBatchSize(),
                check.hyperParameters().evalBatchSize(),
                SpeedCheck.WARM_UP_STEPS,
                steps,
                dataThreads);
        List<StrategySpeed> figures;
        try {
            figures = check.measure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        SpeedReport.print(out, check, figures, target.isGpu());
        if (markdown) {
            SpeedReport.printMarkdown(out, check, figures, describe(report, target));
        }
        return 0;
    }

    /** 6 when libtorch did not load or is a CPU build while a GPU was asked for, 5 when the GPU itself is missing. */
    static int exitCode(EngineReport report) {
        if (report.ready()) {
            return 0;
        }
        if (report.engine() == null
                || ("cpu".equals(report.flavor()) && !report.requestedDevice().startsWith("cpu"))) {
            return NO_CUDA_LIBTORCH;
        }
        return NO_GPU;
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--probe-only" -> probeOnly = true;
                case "--device" -> device = value(args, ++i);
                case "--model" -> model = Path.of(value(args, ++i));
                case "--image-size" -> imageSize = positive(args, ++i);
                case "--steps" -> steps = positive(args, ++i);
                case "--data-threads" -> dataThreads = positive(args, ++i);
                case "--markdown" -> markdown = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i) {
        try {
            int v = Integer.parseInt(value(args, i));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(args[i - 1] + " needs a positive number");
    }

    private void printEngine(EngineReport r) {
        out.println("Training engine (as the trainer probes it at start)");
        if (r.engine() != null) {
            out.printf(
                    "  libtorch      %s %s, %s build, from %s%n",
                    r.engine(), r.libtorchVersion(), r.flavor(), r.libtorchPath());
        }
        out.printf(
                "  device        %s requested -> %s; GPUs usable by the engine: %d%s%n",
                r.requestedDevice(),
                r.device() == null ? "none" : r.device(),
                r.gpuCount(),
                r.cudaRuntime() == null ? "" : "; CUDA runtime " + r.cudaRuntime());
        if (r.trainsOnGpu()) {
            Device gpu = DeviceSelector.select(r.requestedDevice(), r.gpuCount());
            out.printf(
                    "  GPU           compute capability %s, %.1f GiB%n",
                    CudaUtils.getComputeCapability(gpu.getDeviceId()),
                    CudaUtils.getGpuMemory(gpu).getMax() / (double) (1L << 30));
        }
        for (Map.Entry<String, String> s : r.settings().entrySet()) {
            out.printf("  setting       %s=%s%n", s.getKey(), s.getValue());
        }
        if (r.warning() != null) {
            out.println("  warning       " + r.warning());
        }
    }

    /** The device in words, for the Markdown figures: the GPU's compute capability and memory, the libtorch build. */
    private static String describe(EngineReport r, Device target) {
        String libtorch = "libtorch " + r.libtorchVersion() + " (" + r.flavor() + ")";
        if (!target.isGpu()) {
            return "CPU, " + libtorch;
        }
        return String.format(
                Locale.ROOT,
                "GPU %d (compute capability %s, %.1f GiB), %s",
                target.getDeviceId(),
                CudaUtils.getComputeCapability(target.getDeviceId()),
                CudaUtils.getGpuMemory(target).getMax() / (double) (1L << 30),
                libtorch);
    }

    /** The shipped full-size ResNet-18 in a temporary folder removed when the check ends. */
    private Path unpackBuiltInModel() {
        try {
            Path dir = Files.createTempDirectory("tlab-gpu-check");
            dir.toFile().deleteOnExit();
            Path file = BuiltInModels.unpack(ModelSource.BUILT_IN_RESNET18, dir);
            file.getParent().toFile().deleteOnExit();
            file.toFile().deleteOnExit(); // registered last, deleted first
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
