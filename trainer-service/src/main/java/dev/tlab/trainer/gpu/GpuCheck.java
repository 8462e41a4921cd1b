package dev.tlab.trainer.gpu;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.DeviceSelector;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.engine.FineTuningSession;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.BuiltInModels;
import dev.tlab.trainer.engine.model.ModelLoader;
import dev.tlab.trainer.engine.model.ModelSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The GPU check that {@code ./lab gpu-check} runs in a JVM of its own (libtorch binds once per JVM, and the check must
 * see the libtorch the trainer would): probes the engine as the trainer does at start, then trains the full-size
 * ResNet-18 at 224 px for a few steps per strategy on the device, fed by the trainer's own batch pipeline, and prints
 * training and evaluation images/s, the GPU memory in use and the projected time of the notebook's experiment.
 *
 * <p>Arguments: {@code [--probe-only] [--device D] [--model FILE] [--image-size S] [--steps N] [--data-threads N]}.
 * {@code --probe-only} prints the probe's findings as {@code key=value} lines. Exit status: 0 done, 2 bad usage,
 * {@value #NO_GPU} no usable GPU, {@value #NO_CUDA_LIBTORCH} libtorch missing, a CPU build, or failing to load.
 */
public final class GpuCheck {
    public static final int NO_GPU = 5;
    public static final int NO_CUDA_LIBTORCH = 6;
    /**
     * The notebook's experiment (SPEC section 2): per strategy, 10 epochs of 3,000 images, then the 10,000 test images.
     */
    static final int EPOCHS = 10;

    static final int TRAIN_IMAGES = 3000;
    static final int TEST_IMAGES = 10000;
    private static final int WARM_UP_STEPS = 3;

    private final PrintStream out;
    private String device = "gpu";
    private Path model;
    private int imageSize = 224;
    private int steps = 20;
    private int dataThreads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    private boolean probeOnly;

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
        new Measurement(target, modelFile).runAndPrint();
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

    /** Measured figures of one strategy. */
    record StrategyFigures(
            String strategy,
            long trainable,
            double loadSeconds,
            double warmUpSeconds,
            double fedImagesPerSecond,
            double modelImagesPerSecond,
            double dataWaitShare,
            double evalImagesPerSecond,
            double checkpointSeconds,
            long memoryInUse) {

        /** The strategy's share of the notebook's experiment, as one trainer job would run it. */
        double projectedSeconds() {
            return loadSeconds
                    + warmUpSeconds
                    + EPOCHS * ((double) TRAIN_IMAGES / fedImagesPerSecond + checkpointSeconds)
                    + TEST_IMAGES / evalImagesPerSecond;
        }
    }

    private final class Measurement {
        private final Device target;
        private final Path modelFile;
        private final HyperParameters hp;
        private final CifarRecords data;
        private long peakMemory;
        private long memoryBefore;

        Measurement(Device target, Path modelFile) {
            this.target = target;
            this.modelFile = modelFile;
            this.hp = HyperParameters.notebook().withImageSize(imageSize);
            // the speed does not depend on the pixels; the lab's synthetic images keep the labels in range
            this.data = CifarRecords.fromBytes(
                    SyntheticCifar.records(Math.max(hp.trainBatchSize(), hp.evalBatchSize()) * 10, 0));
        }

        void runAndPrint() {
            memoryBefore = memoryInUse();
            out.println();
            out.printf(
                    "ResNet-18 (%s), %d px, batches %d (train) and %d (eval); per strategy %d warm-up and %d"
                            + " timed steps; %d data threads%n",
                    modelFile.getFileName(),
                    imageSize,
                    hp.trainBatchSize(),
                    hp.evalBatchSize(),
                    WARM_UP_STEPS,
                    steps,
                    dataThreads);
            List<StrategyFigures> all = new ArrayList<>();
            ExecutorService workers = Executors.newFixedThreadPool(dataThreads, r -> {
                Thread t = new Thread(r, "gpu-check-batches");
                t.setDaemon(true);
                return t;
            });
            try {
                for (StrategySpec s : StrategySpec.notebookStrategies()) {
                    all.add(measure(s, workers));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                workers.shutdownNow();
            }
            print(all);
        }

        private StrategyFigures measure(StrategySpec strategy, ExecutorService workers) throws InterruptedException {
            long t0 = System.nanoTime();
            try (FineTuningSession session =
                    new FineTuningSession(ModelLoader.loadFile(modelFile, target), strategy, hp)) {
                double load = seconds(t0);
                ImageTransforms transforms = new ImageTransforms(imageSize);
                BatchFeed feed = new BatchFeed(workers, transforms);
                long w = System.nanoTime();
                Batch last = null;
                for (int i = 0; i < WARM_UP_STEPS; i++) {
                    last = feed.next();
                    session.trainStep(last);
                    sampleMemory();
                }
                double warmUp = seconds(w);
                double waitedBefore = feed.waited();
                long fed = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    last = feed.next();
                    session.trainStep(last);
                    sampleMemory();
                }
                double fedSeconds = seconds(fed);
                double waited = feed.waited() - waitedBefore;
                feed.close();
                long alone = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    session.trainStep(last);
                }
                double aloneSeconds = seconds(alone);
                double eval = evaluate(session, workers, transforms);
                long c = System.nanoTime();
                try (OutputStream sink = OutputStream.nullOutputStream()) {
                    session.saveModel(sink);
                    session.saveOptimizer(sink);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                double checkpoint = seconds(c);
                int images = steps * hp.trainBatchSize();
                return new StrategyFigures(
                        strategy.name(),
                        session.plan().trainableParameters(),
                        load,
                        warmUp,
                        images / fedSeconds,
                        images / aloneSeconds,
                        waited / fedSeconds,
                        eval,
                        checkpoint,
                        memoryInUse());
            }
        }

        private double evaluate(FineTuningSession session, ExecutorService workers, ImageTransforms transforms)
                throws InterruptedException {
            try (BatchPipeline batches =
                    BatchPipeline.evaluation(data, hp.evalBatchSize(), transforms, workers, dataThreads * 2)) {
                session.evaluate(batches.next()); // warm-up
                int images = 0;
                long t0 = System.nanoTime();
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    session.evaluate(b);
                    images += b.size();
                    sampleMemory();
                }
                return images / seconds(t0);
            }
        }

        private void print(List<StrategyFigures> all) {
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
            for (StrategyFigures f : all) {
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
            if (target.isGpu()) {
                out.printf(
                        "Peak GPU memory in use: %s (before the first model: %s). Device-wide figure from"
                                + " cudaMemGetInfo (DJL's CudaUtils): PyTorch's cached blocks plus the CUDA context; DJL 0.36"
                                + " exposes no max_memory_allocated.%n",
                        gib(peakMemory), gib(memoryBefore));
            }
            double sequential =
                    all.stream().mapToDouble(StrategyFigures::projectedSeconds).sum();
            double parallel = all.stream()
                    .mapToDouble(StrategyFigures::projectedSeconds)
                    .max()
                    .orElse(0);
            out.println();
            out.printf(
                    "Projected time of the notebook's experiment (%d strategies x %d epochs x %,d images, then"
                            + " %,d test images each), at %d px:%n",
                    all.size(), EPOCHS, TRAIN_IMAGES, TEST_IMAGES, imageSize);
            out.printf("  one trainer, the strategies one after another: %s%n", duration(sequential));
            out.printf(
                    "  one trainer per strategy (%d on %d devices like this one, in parallel): %s%n",
                    all.size(), all.size(), duration(parallel));
            out.println("  (training at train/s, evaluation at eval/s, plus the measured model load, warm-up and a"
                    + " checkpoint per epoch; data download and JVM start not included)");
        }

        private void sampleMemory() {
            peakMemory = Math.max(peakMemory, memoryInUse());
        }

        private long memoryInUse() {
            return target.isGpu() ? CudaUtils.getGpuMemory(target).getCommitted() : 0;
        }

        /** Training batches from the trainer's pipeline, epoch after epoch, for as many steps as asked. */
        private final class BatchFeed implements AutoCloseable {
            private final ExecutorService workers;
            private final ImageTransforms transforms;
            private BatchPipeline current;
            private int epoch;
            private double waitedInClosed;

            BatchFeed(ExecutorService workers, ImageTransforms transforms) {
                this.workers = workers;
                this.transforms = transforms;
            }

            Batch next() throws InterruptedException {
                if (current == null || !current.hasNext()) {
                    close();
                    current = BatchPipeline.training(
                            data, hp.trainBatchSize(), transforms, 0, ++epoch, workers, dataThreads * 2);
                }
                return current.next();
            }

            double waited() {
                return waitedInClosed + (current == null ? 0 : current.waitSeconds());
            }

            @Override
            public void close() {
                if (current != null) {
                    waitedInClosed += current.waitSeconds();
                    current.close();
                    current = null;
                }
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%d h %02d min", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%d min %02d s", s / 60, s % 60) : s + " s";
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
