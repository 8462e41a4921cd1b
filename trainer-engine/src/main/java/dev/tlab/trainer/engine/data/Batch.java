package dev.tlab.trainer.engine.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One prepared batch: normalised images (N x 3 x S x S floats) and their labels.
 *
 * <p>The pixels are staged in a direct, native-order buffer by the thread that prepares the batch. DJL hands such a
 * buffer to libtorch as it is ({@code torch::from_blob}): on the CPU the tensor uses that memory, on a GPU it is the
 * source of the one host-to-device copy of the step. From a Java array DJL would first copy into a fresh direct buffer
 * on the training thread (38 MB per 64-image batch at 224 px).
 */
public record Batch(ByteBuffer pixels, long[] labels, int imageSize) {

    public Batch {
        long expected = bytes(labels.length, imageSize);
        if (!pixels.isDirect()
                || pixels.order() != ByteOrder.nativeOrder()
                || pixels.position() != 0
                || pixels.limit() != expected) {
            throw new IllegalArgumentException("pixels must be a direct native-order buffer of exactly " + expected
                    + " bytes from position 0 (use Batch.stage)");
        }
    }

    /** Stages the pixels (copied once into native memory). */
    public Batch(float[] pixels, long[] labels, int imageSize) {
        this(stage(pixels), labels, imageSize);
    }

    public int size() {
        return labels.length;
    }

    /** The bytes of a batch of {@code images} images of {@code imageSize} px as they are staged. */
    public static long bytes(int images, int imageSize) {
        return (long) images * 3 * imageSize * imageSize * Float.BYTES;
    }

    /** A direct native-order copy of the values, positioned at 0. */
    public static ByteBuffer stage(float[] values) {
        return stage(values, null);
    }

    /** The same, written into {@code reuse} when it is a buffer of exactly that size (else a new one). */
    public static ByteBuffer stage(float[] values, ByteBuffer reuse) {
        ByteBuffer buffer = reuse != null && reuse.capacity() == values.length * Float.BYTES
                ? reuse.clear()
                : ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(values);
        return buffer;
    }
}
