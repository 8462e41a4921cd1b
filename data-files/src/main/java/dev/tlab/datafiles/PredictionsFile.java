package dev.tlab.datafiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The binary file of a final evaluation's {@link Predictions}, kept by the trainer next to the fine-tuned model and
 * read back by the results service. Version 1, all integers big-endian:
 *
 * <pre>
 * offset  bytes  field
 *  0       8     magic "TLABPRED" (ASCII)
 *  8       2     format version, 1
 * 10       4     class count C (2..65,536)
 * 14       4     image count N (0..1,000,000)
 * 18      32     sha256 of the test records (raw bytes of the manifest's testDigest)
 * 50       P     per image, in test order: its true class, then its predicted class, each in b bits, most significant
 *                bit first, packed without gaps; b = max(1, ceil(log2 C)); P = ceil(2 N b / 8), unused bits zero
 * 50 + P  32     sha256 of every byte before it
 * </pre>
 *
 * Ten classes take one byte per image (1 MB for a million test images), a hundred classes 14 bits. A reader checks the
 * size against the header before it allocates anything, the trailing digest, and every class index; a file that fails
 * any check is rejected with the reason, never read in part.
 */
public final class PredictionsFile {
    static final byte[] MAGIC = "TLABPRED".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 8 + 2 + 4 + 4 + 32;
    static final int DIGEST_BYTES = 32;

    /** The largest file a reader accepts: a million images of {@value Predictions#MAX_CLASSES} classes. */
    public static final long MAX_FILE_BYTES = fileBytes(Predictions.MAX_IMAGES, Predictions.MAX_CLASSES);

    private PredictionsFile() {}

    /** Bits per class index: enough for {@code classCount - 1}, at least one. */
    static int bitsPerLabel(int classCount) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(classCount - 1));
    }

    /** The exact size of the file of {@code images} predictions over {@code classCount} classes. */
    public static long fileBytes(int images, int classCount) {
        return HEADER_BYTES + payloadBytes(images, classCount) + DIGEST_BYTES;
    }

    private static long payloadBytes(long images, int classCount) {
        return (images * 2 * bitsPerLabel(classCount) + 7) / 8;
    }

    /** Writes the file atomically (a reader sees the old file or the whole new one); returns its sha256. */
    public static String write(Path target, Predictions predictions) {
        byte[] bytes = encode(predictions);
        AtomicFiles.writeBytes(target, bytes);
        return Checksums.sha256Hex(bytes);
    }

    /**
     * Reads and checks a file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws UncheckedIOException when it cannot be read
     */
    public static Predictions read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + ": " + size + " bytes is more than a predictions file of "
                        + Predictions.MAX_IMAGES + " images can be (" + MAX_FILE_BYTES + " bytes)");
            }
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the predictions file " + file, e);
        }
    }

    public static byte[] encode(Predictions predictions) {
        int images = predictions.size();
        int classes = predictions.classCount();
        int bits = bitsPerLabel(classes);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(fileBytes(images, classes)));
        out.put(MAGIC).putShort((short) VERSION).putInt(classes).putInt(images).put(predictions.testDigestBytes());
        byte[] payload = new byte[Math.toIntExact(payloadBytes(images, classes))];
        long position = 0;
        for (int i = 0; i < images; i++) {
            position = pack(payload, position, predictions.label(i), bits);
            position = pack(payload, position, predictions.predicted(i), bits);
        }
        out.put(payload);
        MessageDigest digest = Checksums.sha256();
        digest.update(out.array(), 0, out.position());
        out.put(digest.digest());
        return out.array();
    }

    /**
     * Decodes a whole file's bytes.
     *
     * @throws IllegalArgumentException naming what is wrong: magic, version, sizes, digest, a class index
     */
    public static Predictions decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES + DIGEST_BYTES) {
            throw new IllegalArgumentException("not a predictions file: " + bytes.length + " bytes is shorter than "
                    + "its header and digest (" + (HEADER_BYTES + DIGEST_BYTES) + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a predictions file: it does not start with \"TLABPRED\"");
        }
        int version = Short.toUnsignedInt(in.getShort());
        if (version != VERSION) {
            throw new IllegalArgumentException(
                    "predictions file version " + version + " is not supported (this reader knows " + VERSION + ")");
        }
        int classes = in.getInt();
        int images = in.getInt();
        if (classes < 2 || classes > Predictions.MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "class count " + Integer.toUnsignedString(classes) + " is outside 2.." + Predictions.MAX_CLASSES);
        }
        if (images < 0 || images > Predictions.MAX_IMAGES) {
            throw new IllegalArgumentException("image count " + Integer.toUnsignedString(images) + " is more than the "
                    + Predictions.MAX_IMAGES + " a predictions file may hold");
        }
        long expected = fileBytes(images, classes);
        if (bytes.length != expected) {
            throw new IllegalArgumentException("size " + bytes.length + " bytes does not match its header (" + images
                    + " images of " + classes + " classes make " + expected + " bytes): truncated or padded");
        }
        MessageDigest digest = Checksums.sha256();
        digest.update(bytes, 0, bytes.length - DIGEST_BYTES);
        byte[] stored = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
        if (!MessageDigest.isEqual(digest.digest(), stored)) {
            throw new IllegalArgumentException("its sha256 does not match its content: the file is damaged");
        }
        byte[] testDigest = new byte[32];
        in.get(testDigest);
        int bits = bitsPerLabel(classes);
        int[] labels = new int[images];
        int[] predicted = new int[images];
        long position = (long) HEADER_BYTES * 8;
        for (int i = 0; i < images; i++) {
            labels[i] = unpack(bytes, position, bits);
            predicted[i] = unpack(bytes, position + bits, bits);
            position += 2L * bits;
        }
        long end = (long) (bytes.length - DIGEST_BYTES) * 8;
        for (; position < end; position++) {
            if (bit(bytes, position)) {
                throw new IllegalArgumentException("the padding after the last image is not zero");
            }
        }
        return Predictions.of(classes, HexFormat.of().formatHex(testDigest), labels, predicted);
    }

    private static long pack(byte[] payload, long position, int value, int bits) {
        for (int b = bits - 1; b >= 0; b--, position++) {
            if (((value >>> b) & 1) != 0) {
                payload[(int) (position >>> 3)] |= (byte) (0x80 >>> (position & 7));
            }
        }
        return position;
    }

    private static int unpack(byte[] bytes, long position, int bits) {
        int value = 0;
        for (int b = 0; b < bits; b++) {
            value = (value << 1) | (bit(bytes, position + b) ? 1 : 0);
        }
        return value;
    }

    private static boolean bit(byte[] bytes, long position) {
        return (bytes[(int) (position >>> 3)] & (0x80 >>> (position & 7))) != 0;
    }
}
