package dev.tlab.trainer.engine.data;

import dev.tlab.images.RgbImage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decoded images kept for the next epoch, up to a byte budget ({@code tlab.trainer.image-cache-bytes}). Decoding, not
 * the transforms, is what a cache saves (docs/benchmarks.md, section images): the transforms draw a new crop every
 * epoch from the original pixels, so the decoded originals are what is kept.
 *
 * <p>Nothing is evicted: once the budget is full further images are decoded every time they are read. An epoch reads
 * every image once in a new order, so an evicting cache smaller than the dataset would throw out each image before its
 * next use; keeping the first ones gives a hit rate of budget / dataset instead of none.
 */
public final class DecodedImageCache {

    private final long budget;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, RgbImage> images = new ConcurrentHashMap<>();

    /** @param budget bytes of decoded pixels to keep (3 per pixel); 0 keeps none */
    public DecodedImageCache(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("the image cache budget must not be negative: " + budget);
        }
        this.budget = budget;
    }

    public static DecodedImageCache none() {
        return new DecodedImageCache(0);
    }

    public RgbImage get(String sha256) {
        return images.get(sha256);
    }

    /** Keeps the image when it fits in what is left of the budget. */
    public void offer(String sha256, RgbImage image) {
        long size = image.rgb().length;
        long before = used.getAndUpdate(u -> u + size <= budget ? u + size : u);
        if (before + size <= budget && images.putIfAbsent(sha256, image) != null) {
            used.addAndGet(-size); // another thread kept the same image first
        }
    }

    /** Bytes of decoded pixels held now. */
    public long usedBytes() {
        return used.get();
    }

    public int size() {
        return images.size();
    }

    public long budget() {
        return budget;
    }
}
