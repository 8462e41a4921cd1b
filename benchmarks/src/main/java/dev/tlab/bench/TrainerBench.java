package dev.tlab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.HyperParameters;
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
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trainer speed, run in a JVM of its own per intra-op thread count (libtorch fixes its thread pools when the
 * engine starts). Prints one line per measurement, {@code @@BENCH <json>}, which {@link Benchmarks} collects.
 *
 * <p>Arguments: {@code --model FILE --threads N --plan main|threads [--quick]}. The {@code main} plan measures
 * the input pipeline alone, the model alone on prepared batches (train per strategy, eval once per size) and
 * the model fed by the prefetching pipeline; the {@code threads} plan repeats a subset for the thread lever.
 */
public final class TrainerBench {

    static final String PREFIX = "@@BENCH ";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The notebook's subset: 3,000 training images, i.e. 47 batches of 64 per epoch. */
    static final int EPOCH_IMAGES = 3000;

    private final Path model;
    private final int threads;
    private final boolean quick;
    private final HyperParameters hp = HyperParameters.notebook();

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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--plan" -> plan = args[++i];
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        new TrainerBench(model, threads, quick).run(plan);
    }

    private void run(String plan) throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        ObjectNode info = node("engine");
        info.put("engine", engine.getEngineName()).put("engineVersion", engine.getVersion())
                .put("djlVersion", Engine.getDjlVersion())
                .put("intraOpThreads", JniUtils.getNumThreads()).put("interOpThreads", JniUtils.getNumInteropThreads())
                .put("requestedThreads", threads).put("variant", variant()).put("ompWaitPolicy", String.valueOf(System.getenv("OMP_WAIT_POLICY")))
                .put("availableProcessors", Runtime.getRuntime().availableProcessors());
        emit(info);
        CifarRecords data = CifarRecords.fromBytes(SyntheticCifar.records(1024, 0));
        if (plan.equals("main")) {
            for (int size : new int[] {32, 224}) {
                for (int dataThreads : new int[] {1, 2}) {
                    pipelineAlone(data, size, dataThreads);
                }
            }
            for (StrategySpec s : StrategySpec.notebookStrategies()) {
                try (FineTuningSession session = open(s)) {
                    for (int size : new int[] {32, 224}) {
                        trainModelAlone(session, s, data, size);
                        if (StrategySpec.PARTIAL.equals(s.name())) {
                            trainFedByPipeline(session, s, data, size, 2);
                        }
                        if ((StrategySpec.PARTIAL.equals(s.name()) && size == 224) || (StrategySpec.FULL.equals(s.name()) && size == 32)) {
                            graphOptimizerAB(session, s, data, size);
                        }
                        if (StrategySpec.FULL.equals(s.name())) {
                            evalModelAlone(session, s, data, size);
                        }
                    }
                }
            }
        } else {
            for (StrategySpec s : StrategySpec.notebookStrategies()) {
                try (FineTuningSession session = open(s)) {
                    trainModelAlone(session, s, data, 32);
                    if (StrategySpec.PARTIAL.equals(s.name())) {
                        trainModelAlone(session, s, data, 224);
                    }
                }
            }
        }
        ObjectNode mem = node("memory");
        mem.put("peakRssMiB", Memory.peakRssMiB()).put("peakHeapMiB", Memory.peakHeapMiB())
                .put("maxHeapMiB", Memory.maxHeapMiB()).put("plan", plan);
        emit(mem);
    }

    private FineTuningSession open(StrategySpec s) {
        LoadedModel loaded = ModelLoader.loadFile(model, Device.cpu());
        return new FineTuningSession(loaded, s, hp);
    }

    private int[] steps(int size, boolean eval) {
        if (size >= 128) {
            return quick ? new int[] {1, 1} : new int[] {1, eval ? 2 : 3};
        }
        return quick ? new int[] {1, 3} : new int[] {3, 10};
    }

    /** Training steps on one prepared batch (no data preparation in the timed loop). */
    private void trainModelAlone(FineTuningSession session, StrategySpec s, CifarRecords data, int size) {
        Batch batch = prepared(data, size, hp.trainBatchSize(), true);
        int[] st = steps(size, false);
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
        ObjectNode n = measurement("train", s.name(), size, batch.size(), st);
        double median = Stats.median(stepSeconds);
        n.put("seconds", seconds).put("meanImagesPerSecond", Stats.rate((double) st[1] * batch.size(), seconds))
                .put("medianStepSeconds", median).put("imagesPerSecond", Stats.rate(batch.size(), median))
                .put("trainableParameters", session.plan().trainableParameters());
        emit(n);
    }

    /**
     * The graph-executor lever, A/B in one thread: TorchScript's profiling graph executor on (DJL's default) and
     * off ({@code ai.djl.pytorch.graph_optimizer=false}; the setting is per thread), alternating step by step so
     * both see the same machine load.
     */
    private void graphOptimizerAB(FineTuningSession session, StrategySpec s, CifarRecords data, int size) {
        Batch batch = prepared(data, size, hp.trainBatchSize(), true);
        int[] st = steps(size, false);
        boolean[] modes = {true, false};
        double[][] seconds = new double[2][st[1]];
        try {
            for (boolean mode : modes) {
                JniUtils.setGraphExecutorOptimize(mode);
                for (int i = 0; i < st[0]; i++) {
                    session.trainStep(batch);
                }
            }
            for (int i = 0; i < st[1]; i++) {
                for (int k = 0; k < 2; k++) {
                    JniUtils.setGraphExecutorOptimize(modes[k]);
                    long a = System.nanoTime();
                    session.trainStep(batch);
                    seconds[k][i] = (System.nanoTime() - a) / 1e9;
                }
            }
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
        }
        for (int k = 0; k < 2; k++) {
            double median = Stats.median(seconds[k]);
            ObjectNode n = measurement("train-ab-graph-optimizer", s.name(), size, batch.size(), st);
            n.put("graphOptimizer", modes[k]).put("medianStepSeconds", median)
                    .put("imagesPerSecond", Stats.rate(batch.size(), median));
            emit(n);
        }
    }

    private void evalModelAlone(FineTuningSession session, StrategySpec s, CifarRecords data, int size) {
        Batch batch = prepared(data, size, hp.evalBatchSize(), false);
        int[] st = steps(size, true);
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
        ObjectNode n = measurement("eval", "any", size, batch.size(), st);
        n.put("seconds", seconds).put("meanImagesPerSecond", Stats.rate((double) st[1] * batch.size(), seconds))
                .put("medianStepSeconds", median).put("imagesPerSecond", Stats.rate(batch.size(), median))
                .put("measuredWith", s.name());
        emit(n);
    }

    /** The engine's own arrangement: batches prepared ahead on worker threads while the model trains. */
    private void trainFedByPipeline(FineTuningSession session, StrategySpec s, CifarRecords data, int size,
                                    int dataThreads) throws InterruptedException {
        int[] st = steps(size, false);
        ExecutorService workers = Executors.newFixedThreadPool(dataThreads, daemon());
        try (BatchPipeline batches = BatchPipeline.training(data, hp.trainBatchSize(), new ImageTransforms(size), 0,
                1, workers, dataThreads * 2)) {
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
            ObjectNode n = measurement("train-fed", s.name(), size, hp.trainBatchSize(), st);
            n.put("seconds", seconds).put("imagesPerSecond", Stats.rate(images, seconds))
                    .put("dataThreads", dataThreads).put("prefetchBatches", dataThreads * 2)
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
            n.put("impl", "djl").put("kind", "pipeline").put("size", size).put("batch", hp.trainBatchSize())
                    .put("threads", threads).put("dataThreads", dataThreads).put("images", images)
                    .put("seconds", seconds).put("imagesPerSecond", Stats.rate(images, seconds));
            emit(n);
        } finally {
            workers.shutdownNow();
        }
    }

    private void drain(CifarRecords records, ImageTransforms transforms, ExecutorService workers, int dataThreads)
            throws InterruptedException {
        try (BatchPipeline p = BatchPipeline.training(records, hp.trainBatchSize(), transforms, 0, 1, workers,
                dataThreads * 2)) {
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

    /** "default", or the lever this JVM was started with (the engine reads these properties once). */
    static String variant() {
        return "false".equalsIgnoreCase(System.getProperty("ai.djl.pytorch.graph_optimizer"))
                ? "graph-optimizer-off" : "default";
    }

    private ObjectNode measurement(String kind, String strategy, int size, int batch, int[] st) {
        ObjectNode n = node("trainer");
        n.put("impl", "djl").put("variant", variant()).put("kind", kind).put("strategy", strategy).put("size", size).put("batch", batch)
                .put("threads", threads).put("warmupSteps", st[0]).put("timedSteps", st[1]);
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
