package dev.tlab.trainer.engine.data;

/** One prepared batch: normalised images (N x 3 x S x S, flattened) and their labels. */
public record Batch(float[] pixels, long[] labels, int imageSize) {

    public int size() {
        return labels.length;
    }
}
