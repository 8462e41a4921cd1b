package dev.tlab.trainer.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageTransformsTest {

    /** R = 8x, G = 8y, B = x*y (mod 256): the image the reference values were computed on. */
    private static int[] gradientImage() {
        int[] chw = new int[3 * 1024];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                chw[y * 32 + x] = (x * 8) % 256;
                chw[1024 + y * 32 + x] = (y * 8) % 256;
                chw[2048 + y * 32 + x] = (x * y) % 256;
            }
        }
        return chw;
    }

    /**
     * Reference values from torchvision 0.14 on the same image as a PIL image: Resize(R) -> CenterCrop(S) -> ToTensor
     * -> Normalize, at (c, y, x) = (0,0,0), (0,5,7), (1,10,3), (2,S-1,S-1), (2,S/2,S/3). PIL rounds to 8 bits between
     * its passes, so allow about two grey levels.
     */
    @Test
    void testTransformMatchesTorchvision() {
        check(32, 37, new double[] {-1.89528, -1.05617, -0.60014, -1.05499, 0.98423});
        check(16, 18, new double[] {-1.82678, -0.11431, 0.76541, -0.63669, 1.35024});
        check(64, 73, new double[] {-1.91241, -1.50141, -1.21289, -0.42754, 1.0888});
    }

    private static void check(int s, int expectedResize, double[] expected) {
        ImageTransforms t = new ImageTransforms(s);
        assertEquals(expectedResize, t.testResize());
        float[] out = new float[t.outputLength()];
        t.test(gradientImage(), out, 0);
        assertEquals(3 * s * s, out.length);
        int[][] at = {{0, 0, 0}, {0, 5, 7}, {1, 10, 3}, {2, s - 1, s - 1}, {2, s / 2, s / 3}};
        for (int k = 0; k < at.length; k++) {
            int c = at[k][0];
            float v = out[c * s * s + at[k][1] * s + at[k][2]];
            double tolerance = 2.0 / 255 / ImageTransforms.STD[c];
            assertEquals(expected[k], v, tolerance, "S=" + s + " at " + java.util.Arrays.toString(at[k]));
        }
    }

    private static byte[] interleaved(int[] chw) {
        byte[] rgb = new byte[3072];
        for (int i = 0; i < 1024; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * i + c] = (byte) chw[c * 1024 + i];
            }
        }
        return rgb;
    }

    /**
     * The CIFAR-10 path is bit-identical to the square-only transforms this class had before it took images of any
     * size: the digest of every output float's bits over 7 sizes, 6 random records, the test transform and 5 train
     * draws each, was computed with that version (commit c17d577) by this same loop.
     */
    @Test
    void cifarOutputsAreBitIdenticalToTheSquareOnlyVersion() throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        SplittableRandom source = new SplittableRandom(2024);
        for (int size : new int[] {8, 16, 24, 32, 37, 64, 224}) {
            ImageTransforms t = new ImageTransforms(size);
            float[] out = new float[t.outputLength()];
            for (int img = 0; img < 6; img++) {
                int[] chw = new int[3072];
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = source.nextInt(256);
                }
                t.test(chw, out, 0);
                digest(md, out);
                for (int s = 0; s < 5; s++) {
                    t.train(chw, new SplittableRandom(size * 1000L + img * 10 + s), out, 0);
                    digest(md, out);
                }
            }
        }
        assertEquals(
                "0862e81c1fa601800fbec52248ae8aa1d0e1c42c78c1f2e8f955c0112c093d9a",
                java.util.HexFormat.of().formatHex(md.digest()));
    }

    private static void digest(java.security.MessageDigest md, float[] values) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4);
        for (float v : values) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        md.update(bytes.array());
    }

    @Test
    void constantImageNormalisesExactly() {
        int[] chw = new int[3072];
        java.util.Arrays.fill(chw, 128);
        ImageTransforms t = new ImageTransforms(24);
        float[] out = new float[t.outputLength()];
        t.train(chw, new SplittableRandom(1), out, 0);
        for (int c = 0; c < 3; c++) {
            float expected = (128f / 255f - ImageTransforms.MEAN[c]) / ImageTransforms.STD[c];
            assertEquals(expected, out[c * 576 + 100], 1e-5);
        }
    }

    @Test
    void randomResizedCropStaysInBoundsAndIsSeeded() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            CropBox b = ImageTransforms.randomResizedCropBox(32, 32, rng);
            assertTrue(
                    b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 32 && b.left() + b.width() <= 32,
                    b.toString());
            double area = b.height() * b.width() / 1024.0;
            // Rounding w and h each by up to 0.5 px widens the scale and ratio bounds slightly.
            assertTrue(area >= 0.6 * 0.9 && area <= 1.0, "area fraction " + area);
            double ratio = (double) b.width() / b.height();
            assertTrue(ratio >= 0.75 * 0.93 && ratio <= 4.0 / 3.0 * 1.07, "ratio " + ratio);
        }
        assertEquals(
                ImageTransforms.randomResizedCropBox(32, 32, new SplittableRandom(7)),
                ImageTransforms.randomResizedCropBox(32, 32, new SplittableRandom(7)));
        // Sources far outside the ratio range fall back to torchvision's centre crop.
        assertEquals(new CropBox(0, 4, 3, 4), ImageTransforms.randomResizedCropBox(3, 12, new SplittableRandom(1)));
    }

    @Test
    void flipMirrorsColumns() {
        int[] img = gradientImage();
        int s = 20;
        CropBox whole = new CropBox(0, 0, 32, 32);
        float[] plain = new float[3 * s * s];
        float[] flipped = new float[3 * s * s];
        byte[] rgb = interleaved(img);
        ImageTransforms.resizeNormalize(rgb, 32, whole, s, s, false, plain, 0, 0, 0, s);
        ImageTransforms.resizeNormalize(rgb, 32, whole, s, s, true, flipped, 0, 0, 0, s);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    assertEquals(plain[c * s * s + y * s + x], flipped[c * s * s + y * s + (s - 1 - x)]);
                }
            }
        }
    }

    @Test
    void trainTransformIsDeterministicPerSeedAndFlipsAboutHalf() {
        ImageTransforms t = new ImageTransforms(16);
        int[] img = gradientImage();
        float[] a = new float[t.outputLength()];
        float[] b = new float[t.outputLength()];
        t.train(img, new SplittableRandom(5), a, 0);
        t.train(img, new SplittableRandom(5), b, 0);
        assertArrayEquals(a, b);
        t.train(img, new SplittableRandom(6), b, 0);
        assertNotEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(b));
        // The red channel rises with x, so a flipped output has its first column brighter than its last.
        int flips = 0;
        for (int i = 0; i < 400; i++) {
            t.train(img, new SplittableRandom(1000 + i), a, 0);
            if (a[0] > a[15]) {
                flips++;
            }
        }
        assertTrue(flips > 150 && flips < 250, "flips " + flips);
    }

    @Test
    void shuffleIsAPermutationDerivedFromSeedAndEpoch() {
        int[] e1 = BatchPlan.shuffled(100, 0, 1);
        assertArrayEquals(e1, BatchPlan.shuffled(100, 0, 1));
        assertNotEquals(java.util.Arrays.toString(e1), java.util.Arrays.toString(BatchPlan.shuffled(100, 0, 2)));
        int[] sorted = e1.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(BatchPlan.sequential(100), sorted);
        assertEquals(5, BatchPlan.batchCount(257, 64), "the last partial batch counts");
    }
}
