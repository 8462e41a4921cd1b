package dev.tlab.trainer.engine.data;

import dev.tlab.datafiles.CifarRecords;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Prepares the batches of one pass on worker threads, at most {@code prefetch} batches ahead of the consumer, in order.
 * The consumer's blocking time is recorded so that an epoch can report how long the model waited for data (a data-bound
 * job shows a large value).
 *
 * <p>A batch from {@link #next()} is valid until the next call to {@code next()}: its native pixel buffer then goes
 * back to this pipeline's pool and is filled again. Reusing them keeps a pass's native memory at (prefetch + 2)
 * batches: fresh direct buffers are only freed when the garbage collector finds them, which with a large heap and few
 * collections let a 224 px job's resident memory grow by gigabytes. The float arrays the transforms write are reused
 * per worker thread for the same reason.
 */
public final class BatchPipeline implements AutoCloseable {

    private final LabelledImages records;
    private final int[] order;
    private final int batchSize;
    private final ImageTransforms transforms;
    private final boolean train;
    private final long seed;
    private final int epoch;
    private final ExecutorService workers;
    private final int prefetch;
    private final Deque<Future<Batch>> inFlight = new ArrayDeque<>();
    private final int batches;
    private final ConcurrentLinkedDeque<ByteBuffer> freeBuffers = new ConcurrentLinkedDeque<>();
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();
    private Batch handedOut;
    private int submitted;
    private int taken;
    private long waitNanos;

    private BatchPipeline(
            LabelledImages records,
            int[] order,
            int batchSize,
            ImageTransforms transforms,
            boolean train,
            long seed,
            int epoch,
            ExecutorService workers,
            int prefetch) {
        if (batchSize < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batch size and prefetch must be positive");
        }
        this.records = records;
        this.order = order;
        this.batchSize = batchSize;
        this.transforms = transforms;
        this.train = train;
        this.seed = seed;
        this.epoch = epoch;
        this.workers = workers;
        this.prefetch = prefetch;
        this.batches = BatchPlan.batchCount(order.length, batchSize);
        fill();
    }

    /** Training pass: shuffled order and random augmentation, both derived from (seed, epoch). */
    public static BatchPipeline training(
            LabelledImages records,
            int batchSize,
            ImageTransforms transforms,
            long seed,
            int epoch,
            ExecutorService workers,
            int prefetch) {
        return new BatchPipeline(
                records,
                BatchPlan.shuffled(records.size(), seed, epoch),
                batchSize,
                transforms,
                true,
                seed,
                epoch,
                workers,
                prefetch);
    }

    /** Training pass over CIFAR-10 records. */
    public static BatchPipeline training(
            CifarRecords records,
            int batchSize,
            ImageTransforms transforms,
            long seed,
            int epoch,
            ExecutorService workers,
            int prefetch) {
        return training(LabelledImages.of(records), batchSize, transforms, seed, epoch, workers, prefetch);
    }

    /** Evaluation pass over CIFAR-10 records. */
    public static BatchPipeline evaluation(
            CifarRecords records, int batchSize, ImageTransforms transforms, ExecutorService workers, int prefetch) {
        return evaluation(LabelledImages.of(records), batchSize, transforms, workers, prefetch);
    }

    /** Evaluation pass: dataset order, deterministic transform. */
    public static BatchPipeline evaluation(
            LabelledImages records, int batchSize, ImageTransforms transforms, ExecutorService workers, int prefetch) {
        return new BatchPipeline(
                records, BatchPlan.sequential(records.size()), batchSize, transforms, false, 0, 0, workers, prefetch);
    }

    public int batchCount() {
        return batches;
    }

    public boolean hasNext() {
        return taken < batches;
    }

    /** The next batch in order; blocks (and counts the wait) if the workers are behind. */
    public Batch next() throws InterruptedException {
        if (!hasNext()) {
            throw new IllegalStateException("no more batches");
        }
        recycle();
        Future<Batch> f = inFlight.removeFirst();
        long t0 = System.nanoTime();
        try {
            Batch b = f.get();
            waitNanos += System.nanoTime() - t0;
            taken++;
            handedOut = b;
            fill();
            return b;
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing batch " + taken + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** The consumer has finished with the batch it was handed last (it asked for the next one). */
    private void recycle() {
        if (handedOut != null) {
            freeBuffers.push(handedOut.pixels());
            handedOut = null;
        }
    }

    public double waitSeconds() {
        return waitNanos / 1e9;
    }

    private void fill() {
        while (submitted < batches && inFlight.size() < prefetch) {
            int b = submitted++;
            inFlight.addLast(workers.submit(() -> build(b)));
        }
    }

    private Batch build(int b) {
        int from = b * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int len = transforms.outputLength();
        float[] pixels = scratch.get();
        if (pixels == null || pixels.length != n * len) {
            pixels = new float[n * len];
            scratch.set(pixels);
        }
        long[] labels = new long[n];
        for (int k = 0; k < n; k++) {
            int position = from + k;
            int index = order[position];
            labels[k] = records.label(index);
            if (train) {
                records.train(
                        index,
                        transforms,
                        new SplittableRandom(Seeds.derive(seed, epoch, position, 0xA06)),
                        pixels,
                        k * len);
            } else {
                records.test(index, transforms, pixels, k * len);
            }
        }
        return new Batch(Batch.stage(pixels, freeBuffers.poll()), labels, transforms.size());
    }

    /** Cancels batches still being prepared (e.g. when a job is stopped midway). */
    @Override
    public void close() {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
    }
}
