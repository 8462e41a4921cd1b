package dev.tlab.trainer.engine.data;

import dev.tlab.trainer.engine.resources.DirectMemory;

/**
 * How many batches the data threads may prepare ahead of the model: as many as {@code bytes} hold, at most
 * {@code maxBatches}, at least one. A pass of the batch pipeline keeps up to (prefetch + 2) batches in native memory
 * (those prepared ahead, the one the model holds, the one it just gave back), so a budget of B bytes allows B / batch -
 * 2 ahead. Training and evaluation batches differ (64 and 128 images by default: 38.5 and 77 MB at 224 px), so each
 * pass asks with its own batch size; a budget too small for even one batch ahead still gives one, so a job never fails
 * for prefetch memory: it prefetches less.
 *
 * @param bytes the native memory the prepared batches of one pass may take
 * @param maxBatches the most batches ahead whatever the memory ({@code tlab.trainer.prefetch-batches})
 */
public record PrefetchBudget(long bytes, int maxBatches) {

    /** The default share of the JVM's direct-memory cap given to prefetched batches when no budget is configured. */
    public static final double DEFAULT_SHARE_OF_DIRECT_MEMORY = 0.5;

    public PrefetchBudget {
        if (bytes < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("the prefetch budget and batches must be positive");
        }
    }

    /** The configured budget, or half the JVM's direct-memory cap when {@code configuredBytes} is 0. */
    public static PrefetchBudget of(long configuredBytes, int maxBatches) {
        return new PrefetchBudget(
                configuredBytes > 0 ? configuredBytes : (long) (DirectMemory.max() * DEFAULT_SHARE_OF_DIRECT_MEMORY),
                maxBatches);
    }

    /** Batches ahead for batches of {@code batchBytes} each. */
    public int batchesAhead(long batchBytes) {
        long fit = bytes / Math.max(1, batchBytes) - 2;
        return (int) Math.max(1, Math.min(maxBatches, fit));
    }
}
