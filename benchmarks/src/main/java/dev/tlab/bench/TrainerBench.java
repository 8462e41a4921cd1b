package dev.tlab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.FineTuningSession;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trainer speed, run in a JVM of its own per intra-op thread count (libtorch fixes its thread pools when the engine
 * starts). Prints one line per measurement, {@code @@BENCH <json>}, which {@link Benchmarks} collects.
 *
 * <p>Arguments: {@code --model FILE --threads N --plan main|main-32px|notebook|memory [--quick]}, and for the
 * {@code notebook} plan {@code --data FILE [--sizes 32,224] [--batches N]} (see {@link #notebookPlan}). The
 * {@code main} plan measures the input pipeline alone, the model alone on prepared batches in each {@link Setting}
 * (train per strategy, eval once per size) and the model fed by the prefetching pipeline (freeze and partial); the
 * {@code memory} plan is a process that only trains full at 224 px, the trainer's heaviest job, so that its peak
 * resident memory is that job's and nothing else's.
 */
public final class TrainerBench {

    static final String PREFIX = "@@BENCH ";
    /** Partial and full at 32 px in fp32 only, 3 warm-up and 20 timed steps (the section {@code small}). */
    static final String SMALL_PLAN = "main-32px";
    /** The trainer end to end beside the notebook's loop (the section {@code notebook}, issue 30). */
    static final String NOTEBOOK_PLAN = "notebook";
    /** A few training steps per row under libtorch's profiler (the section {@code profile}). */
    static final String PROFILE_PLAN = "profile";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The notebook's subset: 3,000 training images, i.e. 47 batches of 64 per epoch. */
    static final int EPOCH_IMAGES = 3000;

    private final Path model;
    private final int threads;
    private final boolean quick;
    private boolean small;
    /** The notebook plan's image sizes and batches per epoch (0: the whole epoch). */
    private List<Integer> notebookSizes = List.of(32, 224);

    private int notebookBatches;
    /** The notebook plan's training records (CIFAR-10 binary), the file the PyTorch peer reads too. */
    private Path notebookData;
    /** The profile plan's rows and the folder its traces go to. */
    private List<ProfileRow> profileRows = List.of();

    private Path traceDir;

    private final HyperParameters hp = HyperParameters.notebook();
    /** Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX); without it libtorch emulates it, slowly. */
    private final boolean nativeBf16 = Machine.hasNativeBf16();

    /** How the trainer computes: the engine's precision and memory-format settings, measured one against another. */
    enum Setting {
        FP32("fp32", Precision.FP32, false),
        CHANNELS_LAST("fp32 channels-last", Precision.FP32, true),
        BF16("bf16", Precision.BF16, false),
        /** The fastest on a CPU with bf16 arithmetic: measured only there (elsewhere bf16 is emulated). */
        BF16_CHANNELS_LAST("bf16 channels-last", Precision.BF16, true);

        final String label;
        final Precision precision;
        final boolean channelsLast;

        Setting(String label, Precision precision, boolean channelsLast) {
            this.label = label;
            this.precision = precision;
            this.channelsLast = channelsLast;
        }
    }

    private TrainerBench(Path model, int threads, boolean quick) {
        this.model = model;
        this.threads = threads;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Path model = null;
        int threads = 2;
        String plan = "main";
        boolean quick = false;
        List<Integer> sizes = List.of(32, 224);
        int epochBatches = 0;
        Path data = null;
        List<ProfileRow> rows = List.of();
        Path traceDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--plan" -> plan = args[++i];
                case "--quick" -> quick = true;
                case "--sizes" -> sizes = NotebookRun.sizes(args[++i]);
                case "--batches" -> epochBatches = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--rows" -> rows = ProfileRow.parseAll(args[++i]);
                case "--trace-dir" -> traceDir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        TrainerBench bench = new TrainerBench(model, threads, quick);
        bench.small = plan.equals(SMALL_PLAN);
        bench.notebookSizes = sizes;
        bench.notebookBatches = epochBatches;
        bench.notebookData = data;
        bench.profileRows = rows;
        bench.traceDir = traceDir;
        bench.run(plan);
    }

    private void run(String plan) throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        ObjectNode info = node("engine");
        info.put("engine", engine.getEngineName())
                .put("engineVersion", engine.getVersion())
                .put("djlVersion", Engine.getDjlVersion())
                .put("intraOpThreads", JniUtils.getNumThreads())
                .put("interOpThreads", JniUtils.getNumInteropThreads())
                .put("requestedThreads", threads)
                .put("nativeBf16", nativeBf16)
                .put("availableProcessors", Runtime.getRuntime().availableProcessors());
        putVariables(info);
        emit(info);
        CifarRecords data = CifarRecords.fromBytes(SyntheticCifar.records(1024, 0));
        if (plan.equals("main")) {
            for (int size : new int[] {32, 224}) {
                for (int dataThreads : new int[] {1, 2}) {
                    pipelineAlone(data, size, dataThreads);
                }
            }
            for (Setting setting : mainSettings()) {
                for (StrategySpec s : StrategySpec.notebookStrategies()) {
                    try (FineTuningSession session = open(s, setting)) {
                        for (int size : new int[] {32, 224}) {
                            if (!measured(setting, s, size)) {
                                continue;
                            }
                            trainModelAlone(session, s, setting, data, size);
                            if (setting == Setting.FP32 && !StrategySpec.FULL.equals(s.name()) && size == 224) {
                                trainFedByPipeline(session, s, data, size, 2);
                            }
                            if (StrategySpec.FULL.equals(s.name())) {
                                evalModelAlone(session, s, setting, data, size);
                            }
                        }
                    }
                }
            }
        } else if (plan.equals(SMALL_PLAN)) {
            // the rows the optimizer decides most (issue 29): partial and full at 32 px in fp32, more timed steps
            for (String name : List.of(StrategySpec.PARTIAL, StrategySpec.FULL)) {
                StrategySpec s = StrategySpec.named(name);
                try (FineTuningSession session = open(s, Setting.FP32)) {
                    trainModelAlone(session, s, Setting.FP32, data, 32);
                }
            }
        } else if (plan.equals(NOTEBOOK_PLAN)) {
            notebookPlan();
        } else if (plan.equals(PROFILE_PLAN)) {
            profilePlan(data);
        } else if (plan.equals("memory")) {
            StrategySpec full = StrategySpec.named(StrategySpec.FULL);
            try (FineTuningSession session = open(full, Setting.FP32)) {
                trainModelAlone(session, full, Setting.FP32, data, 224);
            }
        } else {
            throw new IllegalArgumentException("unknown plan " + plan + " (main, " + SMALL_PLAN + ", " + NOTEBOOK_PLAN
                    + ", " + PROFILE_PLAN + " or memory)");
        }
        ObjectNode mem = node("memory");
        mem.put("peakRssMiB", Memory.peakRssMiB())
                .put("peakHeapMiB", Memory.peakHeapMiB())
                .put("maxHeapMiB", Memory.maxHeapMiB())
                .put("plan", plan);
        emit(mem);
    }

    /**
     * The trainer end to end minus Kafka and HTTP, per image size, setting (fp32 and channels-last) and strategy: a
     * fresh session on the full-size model fed by the engine's own pipeline through one epoch of the notebook's 3,000
     * images (or {@code --batches} of it), timed as the notebook's peer is, the steady rate after the first batch; then
     * the model alone on the same session, so that both rows come from one warmed session as on the PyTorch side.
     */
    private void notebookPlan() throws InterruptedException {
        if (notebookData == null) {
            throw new IllegalArgumentException("the notebook plan needs --data FILE (CIFAR-10 binary records)");
        }
        CifarRecords records = CifarRecords.read(notebookData);
        for (int size : notebookSizes) {
            warmPipeline(records, size);
            for (Setting setting : notebookSettings()) {
                for (StrategySpec s : StrategySpec.notebookStrategies()) {
                    try (FineTuningSession session = open(s, setting)) {
                        notebookEpoch(session, s, setting, records, size);
                        int[] st = quick ? new int[] {1, 1} : size >= 128 ? new int[] {1, 3} : new int[] {3, 10};
                        trainModelAlone(session, s, setting, records, size, "notebook-model-alone", st);
                    }
                }
            }
        }
    }

    /** The main plan's settings: bf16 with channels-last too where the CPU computes bf16 (what auto picks there). */
    private List<Setting> mainSettings() {
        return nativeBf16
                ? List.of(Setting.FP32, Setting.CHANNELS_LAST, Setting.BF16, Setting.BF16_CHANNELS_LAST)
                : List.of(Setting.FP32, Setting.CHANNELS_LAST, Setting.BF16);
    }

    /**
     * fp32 as the notebook computes, channels-last, and where the CPU has bf16 arithmetic (AVX-512 BF16 or AMX) bf16
     * with channels-last, the experiment's opt-in {@code precision: bf16}: emulated elsewhere, minutes per step.
     */
    private List<Setting> notebookSettings() {
        return nativeBf16
                ? List.of(Setting.FP32, Setting.CHANNELS_LAST, Setting.BF16_CHANNELS_LAST)
                : List.of(Setting.FP32, Setting.CHANNELS_LAST);
    }

    /**
     * One untimed pass of the pipeline over the epoch before a size's rows: issue 30 compares the trainer's second
     * epoch, when the JIT has compiled the pipeline's code; without this pass the first row of the process paid for the
     * compilation (in a --quick run at 32 px freeze end to end measured half its model-alone rate, the rows after it
     * did not).
     */
    private void warmPipeline(CifarRecords records, int size) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(2, daemon());
        try {
            drain(records, new ImageTransforms(size), workers, 2);
        } finally {
            workers.shutdownNow();
        }
    }

    private void notebookEpoch(
            FineTuningSession session, StrategySpec s, Setting setting, CifarRecords records, int size)
            throws InterruptedException {
        int dataThreads = 2;
        int epochBatches = (records.size() + hp.trainBatchSize() - 1) / hp.trainBatchSize();
        int limit = NotebookRun.batchesToRun(notebookBatches, quick, epochBatches);
        ExecutorService workers = Executors.newFixedThreadPool(dataThreads, daemon());
        try (BatchPipeline batches = BatchPipeline.training(
                records, hp.trainBatchSize(), new ImageTransforms(size), 0, 1, workers, dataThreads * 2)) {
            NotebookRun run = new NotebookRun();
            for (int i = 0; i < limit && batches.hasNext(); i++) {
                Batch b = batches.next();
                session.trainStep(b);
                run.batchDone(b.size(), System.nanoTime());
            }
            ObjectNode n = measurement(
                    "notebook", s.name(), setting, size, hp.trainBatchSize(), new int[] {1, run.batches() - 1});
            n.put("dataThreads", dataThreads)
                    .put("prefetchBatches", dataThreads * 2)
                    .put("epochImages", records.size())
                    .put("batchesRun", run.batches())
                    .put("timedImages", run.timedImages())
                    .put("seconds", run.timedSeconds())
                    .put("imagesPerSecond", run.imagesPerSecond())
                    .put("dataWaitSeconds", batches.waitSeconds())
                    .put("timing", "steady rate after the first batch of the epoch")
                    .put("trainableParameters", session.plan().trainableParameters());
            emit(n);
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * Per row, training steps on one prepared batch under libtorch's profiler (DJL's {@code JniUtils.startProfile}),
     * after warm-up steps without it; the trace goes to {@code --trace-dir} for {@link OperatorProfile}. The process's
     * user and kernel CPU time over the profiled steps come with it: time the kernel spends on page faults (zeroing
     * fresh memory) is charged to whichever operator touches the memory first, which the profiler cannot tell apart.
     */
    private void profilePlan(CifarRecords data) throws java.io.IOException {
        if (traceDir == null || profileRows.isEmpty()) {
            throw new IllegalArgumentException("the profile plan needs --rows and --trace-dir");
        }
        java.nio.file.Files.createDirectories(traceDir);
        for (ProfileRow row : profileRows) {
            Setting setting = row.channelsLast() ? Setting.CHANNELS_LAST : Setting.FP32;
            StrategySpec s = StrategySpec.named(row.strategy());
            try (FineTuningSession session = open(s, setting)) {
                Batch batch = prepared(data, row.size(), hp.trainBatchSize(), true);
                int[] st = row.steps(quick);
                for (int i = 0; i < st[0]; i++) {
                    session.trainStep(batch);
                }
                Path trace = traceDir.resolve("djl-" + row.fileName());
                double[] stepSeconds = new double[st[1]];
                ProcessCpu before = ProcessCpu.now();
                JniUtils.startProfile(false, false, false);
                for (int i = 0; i < st[1]; i++) {
                    long a = System.nanoTime();
                    session.trainStep(batch);
                    stepSeconds[i] = (System.nanoTime() - a) / 1e9;
                }
                JniUtils.stopProfile(trace.toString());
                ProcessCpu used = ProcessCpu.now().minus(before);
                ObjectNode n = measurement("profile", s.name(), setting, row.size(), batch.size(), st);
                n.put("medianStepSeconds", Stats.median(stepSeconds))
                        .put("userSeconds", used.userSeconds())
                        .put("systemSeconds", used.systemSeconds())
                        .put("minorFaultsPerStep", used.minorFaults() / st[1])
                        .put("trace", trace.toString());
                putVariables(n);
                emit(n);
            }
        }
    }

    /**
     * The native settings this process started with, JSON null where unset (as the PyTorch side writes them): libgomp's
     * waiting, glibc's allocator tunables, the preloaded allocator.
     */
    private static void putVariables(ObjectNode n) {
        Map.of(
                        "ompWaitPolicy", "OMP_WAIT_POLICY",
                        "gompSpinCount", "GOMP_SPINCOUNT",
                        "glibcTunables", "GLIBC_TUNABLES",
                        "ldPreload", "LD_PRELOAD")
                .forEach((field, variable) -> {
                    String value = System.getenv(variable);
                    if (value == null) {
                        n.putNull(field);
                    } else {
                        n.put(field, value);
                    }
                });
    }

    private FineTuningSession open(StrategySpec s, Setting setting) {
        LoadedModel loaded = ModelLoader.loadFile(model, Device.cpu());
        return new FineTuningSession(loaded, s, hp.withPrecision(setting.precision), setting.channelsLast);
    }

    /**
     * Without native bfloat16 a bf16 step at 224 px takes minutes (libtorch falls back to emulation), so there bf16 is
     * measured at 224 px for partial only; see {@link #batchSize}.
     */
    private boolean measured(Setting setting, StrategySpec s, int size) {
        return setting != Setting.BF16 || nativeBf16 || size < 128 || StrategySpec.PARTIAL.equals(s.name());
    }

    /** The notebook's batch, or a small one for emulated bf16 (images/s is per image, so it stays comparable). */
    int batchSize(Setting setting, int size, boolean eval) {
        if (setting == Setting.BF16 && !nativeBf16) {
            return size >= 128 ? 4 : 16;
        }
        return eval ? hp.evalBatchSize() : hp.trainBatchSize();
    }

    private int[] steps(Setting setting, int size, boolean eval) {
        if (setting == Setting.BF16 && !nativeBf16) {
            return new int[] {1, 1};
        }
        if (size >= 128) {
            return quick ? new int[] {1, 1} : new int[] {1, eval ? 2 : 3};
        }
        return quick ? new int[] {1, 3} : small ? new int[] {3, 20} : new int[] {3, 10};
    }

    private void trainModelAlone(
            FineTuningSession session, StrategySpec s, Setting setting, CifarRecords data, int size) {
        trainModelAlone(session, s, setting, data, size, "train", steps(setting, size, false));
    }

    /** Training steps on one prepared batch (no data preparation in the timed loop). */
    private void trainModelAlone(
            FineTuningSession session,
            StrategySpec s,
            Setting setting,
            CifarRecords data,
            int size,
            String kind,
            int[] st) {
        Batch batch = prepared(data, size, batchSize(setting, size, false), true);
        for (int i = 0; i < st[0]; i++) {
            session.trainStep(batch);
        }
        double[] stepSeconds = new double[st[1]];
        long t0 = System.nanoTime();
        for (int i = 0; i < st[1]; i++) {
            long a = System.nanoTime();
            session.trainStep(batch);
            stepSeconds[i] = (System.nanoTime() - a) / 1e9;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode n = measurement(kind, s.name(), setting, size, batch.size(), st);
        double median = Stats.median(stepSeconds);
        n.put("seconds", seconds)
                .put("meanImagesPerSecond", Stats.rate((double) st[1] * batch.size(), seconds))
                .put("medianStepSeconds", median)
                .put("imagesPerSecond", Stats.rate(batch.size(), median))
                .put("trainableParameters", session.plan().trainableParameters());
        emit(n);
    }

    private void evalModelAlone(
            FineTuningSession session, StrategySpec s, Setting setting, CifarRecords data, int size) {
        Batch batch = prepared(data, size, batchSize(setting, size, true), false);
        int[] st = steps(setting, size, true);
        for (int i = 0; i < st[0]; i++) {
            session.evaluate(batch);
        }
        double[] stepSeconds = new double[st[1]];
        long t0 = System.nanoTime();
        for (int i = 0; i < st[1]; i++) {
            long a = System.nanoTime();
            session.evaluate(batch);
            stepSeconds[i] = (System.nanoTime() - a) / 1e9;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double median = Stats.median(stepSeconds);
        ObjectNode n = measurement("eval", "any", setting, size, batch.size(), st);
        n.put("seconds", seconds)
                .put("meanImagesPerSecond", Stats.rate((double) st[1] * batch.size(), seconds))
                .put("medianStepSeconds", median)
                .put("imagesPerSecond", Stats.rate(batch.size(), median))
                .put("measuredWith", s.name());
        emit(n);
    }

    /** The engine's own arrangement: batches prepared ahead on worker threads while the model trains. */
    private void trainFedByPipeline(
            FineTuningSession session, StrategySpec s, CifarRecords data, int size, int dataThreads)
            throws InterruptedException {
        int[] st = steps(Setting.FP32, size, false);
        ExecutorService workers = Executors.newFixedThreadPool(dataThreads, daemon());
        try (BatchPipeline batches = BatchPipeline.training(
                data, hp.trainBatchSize(), new ImageTransforms(size), 0, 1, workers, dataThreads * 2)) {
            for (int i = 0; i < st[0]; i++) {
                session.trainStep(batches.next());
            }
            double waitedBefore = batches.waitSeconds();
            int images = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < st[1]; i++) {
                Batch b = batches.next();
                session.trainStep(b);
                images += b.size();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double waited = batches.waitSeconds() - waitedBefore;
            int batchesPerEpoch = (EPOCH_IMAGES + hp.trainBatchSize() - 1) / hp.trainBatchSize();
            ObjectNode n = measurement("train-fed", s.name(), Setting.FP32, size, hp.trainBatchSize(), st);
            n.put("seconds", seconds)
                    .put("imagesPerSecond", Stats.rate(images, seconds))
                    .put("dataThreads", dataThreads)
                    .put("prefetchBatches", dataThreads * 2)
                    .put("dataWaitSeconds", waited)
                    .put("dataWaitSecondsPerEpoch", waited / st[1] * batchesPerEpoch);
            emit(n);
        } finally {
            workers.shutdownNow();
        }
    }

    /** The input pipeline with nothing consuming: decode, augment, resize, normalise, batch. */
    private void pipelineAlone(CifarRecords data, int size, int dataThreads) throws InterruptedException {
        ImageTransforms transforms = new ImageTransforms(size);
        int images = quick ? 512 : size >= 128 ? 1280 : 8192;
        ExecutorService workers = Executors.newFixedThreadPool(dataThreads, daemon());
        try {
            // Warm-up (JIT) on as many images as are then timed; the timed pass repeats the same work.
            CifarRecords subset = CifarRecords.fromBytes(slice(data, images));
            drain(subset, transforms, workers, dataThreads);
            long t0 = System.nanoTime();
            drain(subset, transforms, workers, dataThreads);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ObjectNode n = node("pipeline");
            n.put("impl", "djl")
                    .put("kind", "pipeline")
                    .put("size", size)
                    .put("batch", hp.trainBatchSize())
                    .put("threads", threads)
                    .put("dataThreads", dataThreads)
                    .put("images", images)
                    .put("seconds", seconds)
                    .put("imagesPerSecond", Stats.rate(images, seconds));
            emit(n);
        } finally {
            workers.shutdownNow();
        }
    }

    private void drain(CifarRecords records, ImageTransforms transforms, ExecutorService workers, int dataThreads)
            throws InterruptedException {
        try (BatchPipeline p =
                BatchPipeline.training(records, hp.trainBatchSize(), transforms, 0, 1, workers, dataThreads * 2)) {
            while (p.hasNext()) {
                p.next();
            }
        }
    }

    private static byte[] slice(CifarRecords data, int count) {
        byte[] out = new byte[count * CifarFormat.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int r = i % data.size();
            int base = i * CifarFormat.RECORD_BYTES;
            out[base] = (byte) data.label(r);
            int[] image = data.image(r);
            for (int j = 0; j < image.length; j++) {
                out[base + 1 + j] = (byte) image[j];
            }
        }
        return out;
    }

    static Batch prepared(CifarRecords data, int size, int batchSize, boolean train) {
        ImageTransforms t = new ImageTransforms(size);
        int len = t.outputLength();
        float[] pixels = new float[batchSize * len];
        long[] labels = new long[batchSize];
        for (int k = 0; k < batchSize; k++) {
            int index = k % data.size();
            labels[k] = data.label(index);
            if (train) {
                t.train(data.image(index), new SplittableRandom(k), pixels, k * len);
            } else {
                t.test(data.image(index), pixels, k * len);
            }
        }
        return new Batch(pixels, labels, size);
    }

    private ObjectNode measurement(String kind, String strategy, Setting setting, int size, int batch, int[] st) {
        ObjectNode n = node("trainer");
        n.put("impl", "djl")
                .put("setting", setting.label)
                .put("kind", kind)
                .put("strategy", strategy)
                .put("size", size)
                .put("batch", batch)
                .put("threads", threads)
                .put("warmupSteps", st[0])
                .put("timedSteps", st[1]);
        return n;
    }

    private static ObjectNode node(String section) {
        ObjectNode n = JSON.createObjectNode();
        n.put("section", section);
        return n;
    }

    private static void emit(ObjectNode n) {
        System.out.println(PREFIX + n);
        System.out.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "bench-data");
            t.setDaemon(true);
            return t;
        };
    }
}
