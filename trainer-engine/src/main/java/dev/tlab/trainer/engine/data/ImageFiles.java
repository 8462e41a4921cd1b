package dev.tlab.trainer.engine.data;

import dev.tlab.images.ImageDecoder;
import dev.tlab.images.ImageRejectedException;
import dev.tlab.images.RgbImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A split of the user's own images: files by sha256 with their labels, decoded on the data thread that transforms them
 * with {@link ImageDecoder} (PIL's {@code convert("RGB")} pixels), the notebook's transforms applied to the originals
 * of any size, decoded images kept within the cache's budget.
 */
public final class ImageFiles implements LabelledImages {

    /**
     * The most pixels an image may have here: twice PIL's decompression-bomb warning, where PIL refuses. The dataset
     * service refused larger ones already (its own limit is lower); this only bounds what a trainer allocates.
     */
    public static final long MAX_PIXELS = 2 * ImageDecoder.PIL_MAX_IMAGE_PIXELS;

    /** One image: its file's sha256, its path in the dataset (for messages) and its label. */
    public record Entry(String sha256, String path, int label) {}

    private final List<Entry> entries;
    private final int classes;
    private final EncodedImages files;
    private final DecodedImageCache cache;
    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);
    private final int labelBound;

    public ImageFiles(List<Entry> entries, int classes, EncodedImages files, DecodedImageCache cache) {
        this.entries = List.copyOf(entries);
        this.classes = classes;
        this.files = files;
        this.cache = cache;
        int max = -1;
        for (Entry e : this.entries) {
            if (e.label() < 0 || e.label() >= classes) {
                throw new IllegalArgumentException(
                        e.path() + " has label " + e.label() + ", outside the " + classes + " classes");
            }
            max = Math.max(max, e.label());
        }
        this.labelBound = max + 1;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public int label(int index) {
        return entries.get(index).label();
    }

    @Override
    public int labelBound() {
        return labelBound;
    }

    @Override
    public Integer classes() {
        return classes;
    }

    public Entry entry(int index) {
        return entries.get(index);
    }

    @Override
    public void train(int index, ImageTransforms transforms, SplittableRandom rng, float[] out, int offset) {
        RgbImage image = image(index);
        transforms.train(image.rgb(), image.width(), image.height(), rng, out, offset);
    }

    @Override
    public void test(int index, ImageTransforms transforms, float[] out, int offset) {
        RgbImage image = image(index);
        transforms.test(image.rgb(), image.width(), image.height(), out, offset);
    }

    /** The image's pixels: from the cache, or decoded from its verified bytes (and offered to the cache). */
    RgbImage image(int index) {
        Entry entry = entries.get(index);
        RgbImage cached = cache.get(entry.sha256());
        if (cached != null) {
            return cached;
        }
        try {
            RgbImage decoded = decoder.decode(files.read(entry.sha256())).image();
            cache.offer(entry.sha256(), decoded);
            return decoded;
        } catch (ImageRejectedException e) {
            // the dataset service decoded it with the same decoder at ingestion: a different answer here is a bug
            throw new IllegalStateException(
                    entry.path() + " (sha256 " + entry.sha256() + ") no longer decodes: " + e.getMessage(), e);
        }
    }
}
