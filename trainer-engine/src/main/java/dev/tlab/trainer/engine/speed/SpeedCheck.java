package dev.tlab.trainer.engine.speed;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.FineTuningSession;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How fast this machine trains the notebook's strategies, measured as the trainer runs them: the model loaded per
 * strategy, a few warm-up steps, then timed steps fed by the trainer's own batch pipeline, the same steps on one
 * prepared batch, an evaluation pass and a checkpoint's writes, sampling the device memory in use. Plain Java (DJL
 * only): {@code ./lab gpu-check} runs it on a GPU, its test on the CPU with the narrow model.
 */
public final class SpeedCheck {
    public static final int WARM_UP_STEPS = 3;

    private final Device device;
    private final Path modelFile;
    private final int imageSize;
    private final int steps;
    private final int dataThreads;
    private final HyperParameters hp;
    private final CifarRecords data;
    private long memoryBefore = -1;
    private long peakMemory;

    /** @param steps timed steps per strategy (after {@value #WARM_UP_STEPS} warm-up steps) */
    public SpeedCheck(Device device, Path modelFile, int imageSize, int steps, int dataThreads) {
        this.device = device;
        this.modelFile = modelFile;
        this.imageSize = imageSize;
        this.steps = steps;
        this.dataThreads = dataThreads;
        this.hp = HyperParameters.notebook().withImageSize(imageSize);
        // the speed does not depend on the pixels; the lab's synthetic images keep the labels in range
        this.data = CifarRecords.fromBytes(
                SyntheticCifar.records(Math.max(hp.trainBatchSize(), hp.evalBatchSize()) * 10, 0));
    }

    public HyperParameters hyperParameters() {
        return hp;
    }

    public int imageSize() {
        return imageSize;
    }

    public int steps() {
        return steps;
    }

    public int dataThreads() {
        return dataThreads;
    }

    /** Device memory in use before the first model was loaded (0 on a CPU). */
    public long memoryBefore() {
        return Math.max(0, memoryBefore);
    }

    /** The most device memory in use sampled during the steps (0 on a CPU). */
    public long peakMemory() {
        return peakMemory;
    }

    /** Measures each of the notebook's strategies in turn. */
    public List<StrategySpeed> measure() throws InterruptedException {
        memoryBefore = memoryInUse();
        List<StrategySpeed> all = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(dataThreads, r -> {
            Thread t = new Thread(r, "speed-check-batches");
            t.setDaemon(true);
            return t;
        });
        try {
            for (StrategySpec s : StrategySpec.notebookStrategies()) {
                all.add(measure(s, workers));
            }
        } finally {
            workers.shutdownNow();
        }
        return all;
    }

    private StrategySpeed measure(StrategySpec strategy, ExecutorService workers) throws InterruptedException {
        long t0 = System.nanoTime();
        try (FineTuningSession session = new FineTuningSession(ModelLoader.loadFile(modelFile, device), strategy, hp)) {
            double load = seconds(t0);
            ImageTransforms transforms = new ImageTransforms(imageSize);
            Batch last;
            double warmUp;
            double fedSeconds;
            double waited;
            try (BatchFeed feed = new BatchFeed(workers, transforms)) {
                long w = System.nanoTime();
                last = steps(session, feed, WARM_UP_STEPS);
                warmUp = seconds(w);
                double waitedBefore = feed.waited();
                long fed = System.nanoTime();
                last = steps(session, feed, steps);
                fedSeconds = seconds(fed);
                waited = feed.waited() - waitedBefore;
            }
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
            return new StrategySpeed(
                    strategy.name(),
                    session.plan().trainableParameters(),
                    load,
                    warmUp,
                    images / fedSeconds,
                    images / aloneSeconds,
                    waited / fedSeconds,
                    eval,
                    checkpoint,
                    memoryInUse(),
                    session.lastOptimizerStep());
        }
    }

    private Batch steps(FineTuningSession session, BatchFeed feed, int n) throws InterruptedException {
        Batch last = null;
        for (int i = 0; i < n; i++) {
            last = feed.next();
            session.trainStep(last);
            sampleMemory();
        }
        return last;
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

    private void sampleMemory() {
        peakMemory = Math.max(peakMemory, memoryInUse());
    }

    /** Device-wide memory in use (cudaMemGetInfo through DJL's CudaUtils): PyTorch's cached blocks and the context. */
    private long memoryInUse() {
        return device.isGpu() ? CudaUtils.getGpuMemory(device).getCommitted() : 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
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
                closeCurrent();
                current = BatchPipeline.training(
                        data, hp.trainBatchSize(), transforms, 0, ++epoch, workers, dataThreads * 2);
            }
            return current.next();
        }

        double waited() {
            return waitedInClosed + (current == null ? 0 : current.waitSeconds());
        }

        private void closeCurrent() {
            if (current != null) {
                waitedInClosed += current.waitSeconds();
                current.close();
                current = null;
            }
        }

        @Override
        public void close() {
            closeCurrent();
        }
    }
}
