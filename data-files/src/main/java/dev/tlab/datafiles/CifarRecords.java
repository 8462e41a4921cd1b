package dev.tlab.datafiles;

import static dev.tlab.datafiles.CifarFormat.IMAGE_BYTES;
import static dev.tlab.datafiles.CifarFormat.PLANE;
import static dev.tlab.datafiles.CifarFormat.RECORD_BYTES;
import static dev.tlab.datafiles.CifarFormat.SIDE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Images in memory as {@link CifarFormat} records. Backed by one array, read-only. */
public final class CifarRecords {

    private final byte[] data;
    private final int count;

    private CifarRecords(byte[] data) {
        this.data = data;
        this.count = data.length / RECORD_BYTES;
    }

    /** Wraps the bytes (not copied); a length that is not a whole number of records is an error. */
    public static CifarRecords fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length % RECORD_BYTES != 0) {
            throw new IllegalArgumentException("CIFAR data of " + bytes.length + " bytes is truncated: records are "
                    + RECORD_BYTES + " bytes, so record " + (bytes.length / RECORD_BYTES) + " is incomplete ("
                    + (bytes.length % RECORD_BYTES) + " of " + RECORD_BYTES + " bytes)");
        }
        return new CifarRecords(bytes);
    }

    public static CifarRecords read(Path file) {
        try {
            return fromBytes(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CIFAR records from " + file, e);
        }
    }

    public int size() {
        return count;
    }

    public int label(int index) {
        return data[offset(index)] & 0xFF;
    }

    /** Pixel value 0..255 of channel c (0 = R), row y, column x. */
    public int pixel(int index, int c, int y, int x) {
        return data[offset(index) + 1 + c * PLANE + y * SIDE + x] & 0xFF;
    }

    /** The 3,072 pixel bytes of one image as values 0..255 (CHW). */
    public int[] image(int index) {
        int base = offset(index) + 1;
        int[] out = new int[IMAGE_BYTES];
        for (int i = 0; i < IMAGE_BYTES; i++) {
            out[i] = data[base + i] & 0xFF;
        }
        return out;
    }

    /** Largest label + 1; the model's output width must be at least this. */
    public int labelBound() {
        int max = -1;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, label(i));
        }
        return max + 1;
    }

    private int offset(int index) {
        Objects.checkIndex(index, count);
        return index * RECORD_BYTES;
    }
}
