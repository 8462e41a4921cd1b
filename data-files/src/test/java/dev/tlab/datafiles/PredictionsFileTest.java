package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsFileTest {
    private static final String TEST_DIGEST = "ab".repeat(32);

    @TempDir
    Path dir;

    private static Predictions random(int images, int classes, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[images];
        int[] predicted = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = random.nextInt(classes);
            predicted[i] = random.nextDouble() < 0.7 ? labels[i] : random.nextInt(classes);
        }
        return Predictions.of(classes, TEST_DIGEST, labels, predicted);
    }

    /** The layout the class documents, byte by byte, on three images of three classes (two bits per class index). */
    @Test
    void encodesTheDocumentedLayout() {
        Predictions p = Predictions.of(3, TEST_DIGEST, new int[] {0, 1, 2}, new int[] {0, 2, 2});
        byte[] bytes = PredictionsFile.encode(p);
        assertEquals(50 + 2 + 32, bytes.length, "header, 12 bits of labels in 2 bytes, digest");
        assertEquals("TLABPRED", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer header = ByteBuffer.wrap(bytes, 8, 42);
        assertEquals(1, header.getShort());
        assertEquals(3, header.getInt());
        assertEquals(3, header.getInt());
        assertEquals(TEST_DIGEST, HexFormat.of().formatHex(bytes, 18, 50));
        // (0,0) (1,2) (2,2) as 2-bit fields: 00 00 01 10 10 10 -> 0000 0110 | 1010 0000 (zero padding)
        assertEquals(0x06, bytes[50] & 0xFF);
        assertEquals(0xA0, bytes[51] & 0xFF);
        assertEquals(
                Checksums.sha256Hex(Arrays.copyOf(bytes, 52)), HexFormat.of().formatHex(bytes, 52, 84));
    }

    @Test
    void roundTripsAnyClassCount() {
        for (int classes : new int[] {2, 3, 10, 100, 257, Predictions.MAX_CLASSES}) {
            Predictions p = random(1_000, classes, classes);
            Predictions back = PredictionsFile.decode(PredictionsFile.encode(p));
            assertEquals(p, back, classes + " classes");
            assertEquals(p.correctCount(), back.correctCount());
        }
        Predictions top =
                Predictions.of(Predictions.MAX_CLASSES, TEST_DIGEST, new int[] {65_535, 0}, new int[] {0, 65_535});
        assertEquals(top, PredictionsFile.decode(PredictionsFile.encode(top)));
        Predictions empty = Predictions.of(10, TEST_DIGEST, new int[0], new int[0]);
        assertEquals(empty, PredictionsFile.decode(PredictionsFile.encode(empty)));
    }

    @Test
    void aMillionImagesOfTenClassesTakeOneByteEach() throws IOException {
        Predictions p = random(Predictions.MAX_IMAGES, 10, 7);
        Path file = dir.resolve("job.predictions");
        String sha256 = PredictionsFile.write(file, p);
        assertEquals(50 + 1_000_000 + 32, Files.size(file));
        assertEquals(PredictionsFile.fileBytes(1_000_000, 10), Files.size(file));
        assertEquals(Checksums.sha256Hex(file), sha256);
        assertEquals(p, PredictionsFile.read(file));
        assertEquals(50 + 1_750_000 + 32, PredictionsFile.fileBytes(1_000_000, 100), "100 classes: 14 bits an image");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "written aside and moved into place");
        }
    }

    @Test
    void moreThanTheLimitIsRefusedOnWriteAndOnRead() throws IOException {
        int[] tooMany = new int[Predictions.MAX_IMAGES + 1];
        IllegalArgumentException onWrite =
                assertThrows(IllegalArgumentException.class, () -> Predictions.of(10, TEST_DIGEST, tooMany, tooMany));
        assertTrue(onWrite.getMessage().contains("1000001 images is more than the 1000000"), onWrite.getMessage());

        // a header that claims too many images is refused before anything is allocated for them
        byte[] bytes = PredictionsFile.encode(random(4, 10, 1));
        ByteBuffer.wrap(bytes).putInt(14, Predictions.MAX_IMAGES + 1);
        IllegalArgumentException header =
                assertThrows(IllegalArgumentException.class, () -> PredictionsFile.decode(bytes));
        assertTrue(header.getMessage().contains("image count 1000001"), header.getMessage());

        // a file larger than the largest valid one is refused from its size alone (sparse: nothing is written)
        Path huge = dir.resolve("huge.predictions");
        try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(PredictionsFile.MAX_FILE_BYTES + 1);
        }
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> PredictionsFile.read(huge));
        assertTrue(size.getMessage().startsWith(huge.toString()), size.getMessage());
        assertTrue(size.getMessage().contains("is more than a predictions file"), size.getMessage());
    }

    @Test
    void aDamagedFileIsRefusedWithTheReason() {
        byte[] good = PredictionsFile.encode(random(100, 10, 3));

        byte[] flipped = good.clone();
        flipped[70] ^= 0x10;
        assertReason(flipped, "sha256 does not match");

        assertReason(Arrays.copyOf(good, good.length - 1), "truncated or padded");
        assertReason(Arrays.copyOf(good, good.length + 1), "truncated or padded");
        assertReason(new byte[10], "shorter than its header");

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertReason(magic, "does not start with \"TLABPRED\"");

        byte[] version = good.clone();
        version[9] = 2;
        assertReason(version, "version 2 is not supported");

        byte[] classes = good.clone();
        ByteBuffer.wrap(classes).putInt(10, 1);
        assertReason(classes, "class count 1 is outside 2..65536");
    }

    /** A class index the header's class count does not have, behind a valid digest: refused, not read. */
    @Test
    void aClassOutsideTheClassMapIsRefused() {
        byte[] bytes = PredictionsFile.encode(Predictions.of(10, TEST_DIGEST, new int[] {1, 2}, new int[] {1, 2}));
        bytes[50] = (byte) 0xF1; // label 15 with 4 bits per index, 10 classes
        resign(bytes);
        assertReason(bytes, "the label of image 0 is 15, outside the 10 classes");
    }

    @Test
    void nonZeroPaddingIsRefused() {
        byte[] bytes = PredictionsFile.encode(Predictions.of(3, TEST_DIGEST, new int[] {0, 1, 2}, new int[] {0, 2, 2}));
        bytes[51] |= 0x01;
        resign(bytes);
        assertReason(bytes, "padding after the last image is not zero");
    }

    @Test
    void predictionsCheckWhatTheyHold() {
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(1, TEST_DIGEST, new int[0], new int[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> Predictions.of(Predictions.MAX_CLASSES + 1, TEST_DIGEST, new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(3, "AB", new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(3, TEST_DIGEST, new int[1], new int[2]));
        IllegalArgumentException outside = assertThrows(
                IllegalArgumentException.class, () -> Predictions.of(3, TEST_DIGEST, new int[] {0}, new int[] {3}));
        assertEquals("the predicted class of image 0 is 3, outside the 3 classes", outside.getMessage());
    }

    @Test
    void confusionCountsAndCorrectness() {
        Predictions p = Predictions.of(3, TEST_DIGEST, new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 0, 2});
        assertArrayEquals(new long[][] {{1, 1, 0}, {0, 1, 0}, {1, 0, 2}}, p.confusionCounts());
        assertEquals(4, p.correctCount());
        assertTrue(p.correct(0) && !p.correct(1) && !p.correct(4));
    }

    private static void assertReason(byte[] bytes, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PredictionsFile.decode(bytes));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    /** Recomputes the trailing digest after a deliberate change, so that only the check under test can refuse it. */
    private static void resign(byte[] bytes) {
        byte[] digest = Checksums.sha256().digest(Arrays.copyOf(bytes, bytes.length - 32));
        System.arraycopy(digest, 0, bytes, bytes.length - 32, 32);
    }
}
