package dev.tlab.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The timing of one epoch the way the notebook's peer times it (benchmarks/python/notebook_bench.py): the first batch
 * (the pipeline's start, the first step's allocations) is not timed; the rate is the later batches' images over the
 * time from the end of the first batch's step to the end of the last one.
 */
final class NotebookRun {

    /** Batches per epoch of a {@code --quick} run: one untimed and three timed. */
    static final int QUICK_BATCHES = 4;

    private int batches;
    private long timedImages;
    private long firstDoneNanos;
    private long lastDoneNanos;

    /** Records that a batch of {@code images} finished its training step at {@code nanos} (System.nanoTime). */
    void batchDone(int images, long nanos) {
        if (batches == 0) {
            firstDoneNanos = nanos;
        } else {
            timedImages += images;
        }
        lastDoneNanos = nanos;
        batches++;
    }

    int batches() {
        return batches;
    }

    long timedImages() {
        return timedImages;
    }

    double timedSeconds() {
        return (lastDoneNanos - firstDoneNanos) / 1e9;
    }

    /** Images per second after the first batch; 0 when fewer than two batches ran. */
    double imagesPerSecond() {
        return batches < 2 ? 0.0 : Stats.rate(timedImages, timedSeconds());
    }

    /** How many batches of an epoch to run: the requested count (0: the whole epoch), never more than the epoch. */
    static int batchesToRun(int requested, boolean quick, int epochBatches) {
        if (requested < 0) {
            throw new IllegalArgumentException("--batches must be 0 (the whole epoch) or more, not " + requested);
        }
        int wanted = requested > 0 ? requested : quick ? QUICK_BATCHES : epochBatches;
        return Math.min(wanted, epochBatches);
    }

    /** Image sizes from {@code "32,224"}. */
    static List<Integer> sizes(String list) {
        List<Integer> sizes = Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("--sizes wants positive image sizes, e.g. 32,224; got " + list);
        }
        return sizes;
    }
}
