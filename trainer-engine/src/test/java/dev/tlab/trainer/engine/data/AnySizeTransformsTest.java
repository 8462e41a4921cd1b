package dev.tlab.trainer.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The notebook's transforms on images that are not 32x32 squares, against torchvision 0.14.1 and PIL 9.4 (Debian 12's
 * python3-torchvision and python3-pil, {@code /usr/bin/python3}). The reference values were made on the same pattern
 * image, {@code R = (7x + 3y) % 256, G = xy % 256, B = (255 - 5x + 11y) % 256}, by:
 *
 * <pre>
 * img = Image.fromarray(pattern(w, h), "RGB"); norm = T.Normalize(mean, std)
 * test:  t = norm(T.ToTensor()(T.CenterCrop(s)(T.Resize(round(s * 256 / 224))(img))))
 * train: t = norm(T.ToTensor()(F.hflip?(F.resized_crop(img, i, j, h, w, [s, s], BILINEAR))))
 * values at (c, y, x) = (0,0,0) (0,s/3,s-1) (1,s/2,s/5) (1,s-1,0) (2,s/4,s/2) (2,s-1,s-1); t.mean(dim=(1,2))
 * </pre>
 *
 * PIL rounds to 8 bits between its two resize passes and these transforms do not, so single values may differ by up to
 * one grey level: over the whole outputs of the five test cases the largest difference was 1.00 and the mean 0.24 to
 * 0.35 grey levels (measured against the full torchvision tensors). Channel means agree within half a level.
 * RandomResizedCrop's box comes from this engine's random stream, not torch's, so the train case fixes the box.
 */
class AnySizeTransformsTest {

    static byte[] pattern(int w, int h) {
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                rgb[o] = (byte) ((x * 7 + y * 3) % 256);
                rgb[o + 1] = (byte) ((x * y) % 256);
                rgb[o + 2] = (byte) (((255 - x * 5 + y * 11) % 256 + 256) % 256);
            }
        }
        return rgb;
    }

    private static final double GREY_LEVELS = 1.05;
    private static final double MEAN_GREY_LEVELS = 0.5;

    private static void check(float[] out, int s, double[] expected, double[] means, String label) {
        int[][] at = {
            {0, 0, 0}, {0, s / 3, s - 1}, {1, s / 2, s / 5}, {1, s - 1, 0}, {2, s / 4, s / 2}, {2, s - 1, s - 1}
        };
        for (int k = 0; k < at.length; k++) {
            int c = at[k][0];
            double tolerance = GREY_LEVELS / 255 / ImageTransforms.STD[c];
            assertEquals(expected[k], out[c * s * s + at[k][1] * s + at[k][2]], tolerance, label + " at " + k);
        }
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < s * s; i++) {
                sum += out[c * s * s + i];
            }
            double tolerance = MEAN_GREY_LEVELS / 255 / ImageTransforms.STD[c];
            assertEquals(means[c], sum / (s * s), tolerance, label + " mean of channel " + c);
        }
    }

    private static void testCase(int w, int h, int s, int[] resized, double[] values, double[] means) {
        ImageTransforms t = new ImageTransforms(s);
        int[] size = t.testResizedSize(w, h);
        assertEquals(resized[0], size[0], "resized width of " + w + "x" + h);
        assertEquals(resized[1], size[1], "resized height of " + w + "x" + h);
        float[] out = new float[t.outputLength()];
        t.test(pattern(w, h), w, h, out, 0);
        check(out, s, values, means, "test " + w + "x" + h + " at " + s);
    }

    @Test
    void testTransformMatchesTorchvisionOnLandscapeAndPortraitImages() {
        testCase(
                45,
                30,
                16,
                new int[] {27, 18},
                new double[] {-0.78217, -1.74116, 1.41317, -1.10784, 2.23913, 0.28706},
                new double[] {0.394752, 0.111424, 0.516566});
        testCase(
                30,
                52,
                24,
                new int[] {27, 46},
                new double[] {-1.19317, -1.05617, 1.02801, -0.47759, 0.53107, -1.31643},
                new double[] {0.471115, 0.156369, 0.302824});
        testCase(
                300,
                200,
                32,
                new int[] {55, 37},
                new double[] {-0.04581, -0.98767, 0.03011, 0.17017, -0.07895, -0.72383},
                new double[] {0.063813, 0.174870, 0.412757});
        testCase(
                30,
                52,
                64,
                new int[] {73, 126},
                new double[] {-1.31304, 1.18717, 0.78291, -1.12535, 0.58336, -1.26414},
                new double[] {0.489315, 0.118596, 0.322845});
        testCase(
                500,
                375,
                224,
                new int[] {341, 256},
                new double[] {0.55356, 1.47829, -0.05742, 0.22269, 1.17595, 0.68793},
                new double[] {0.065535, 0.164201, 0.417352});
    }

    private static void trainCase(int w, int h, int s, CropBox box, boolean flip, double[] values, double[] means) {
        float[] out = new float[3 * s * s];
        ImageTransforms.resizeNormalize(pattern(w, h), w, box, s, s, flip, out, 0, 0, 0, s);
        check(out, s, values, means, "train " + w + "x" + h + " box " + box);
    }

    @Test
    void cropResizeAndFlipMatchTorchvisionsResizedCropOnTheSameBox() {
        trainCase(
                45,
                30,
                16,
                new CropBox(3, 5, 20, 31),
                true,
                new double[] {1.66667, -0.95342, 0.10014, 0.57283, 1.78597, 1.85569},
                new double[] {0.308192, 0.095011, 0.313884});
        trainCase(
                300,
                200,
                32,
                new CropBox(10, 40, 150, 170),
                false,
                new double[] {-0.74792, -0.67942, 0.18768, 0.27521, 1.01909, 1.31538},
                new double[] {0.074081, 0.172750, 0.423565});
        trainCase(
                30,
                52,
                64,
                new CropBox(0, 0, 52, 30),
                true,
                new double[] {1.35842, -1.24454, -0.26751, 1.44818, -0.58440, -0.96784},
                new double[] {0.185668, -0.143701, 0.482537});
    }

    @Test
    void theTrainTransformDrawsItsBoxOnTheOriginalImage() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            CropBox b = ImageTransforms.randomResizedCropBox(375, 500, rng);
            assertTrue(
                    b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 375 && b.left() + b.width() <= 500,
                    b.toString());
            double area = (double) b.height() * b.width() / (375 * 500);
            assertTrue(area >= 0.6 * 0.99 && area <= 1.0, "area " + area);
        }
        // A 400x100 strip (aspect 4): no box of at least 60% of the area fits a ratio within [3/4, 4/3], so every
        // draw falls back, as torchvision does, to the centred box of the extreme ratio: 100 high, round(100 * 4/3)
        // wide, at left (400 - 133) / 2.
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(
                    new CropBox(0, 133, 100, 133),
                    ImageTransforms.randomResizedCropBox(100, 400, new SplittableRandom(seed)));
        }
    }

    @Test
    void anyImageGivesAnSxSOutputAndAWrongBufferIsRefused() {
        ImageTransforms t = new ImageTransforms(24);
        float[] out = new float[t.outputLength()];
        for (int[] wh : new int[][] {{24, 24}, {23, 500}, {500, 23}, {1, 1}, {640, 480}}) {
            byte[] rgb = pattern(wh[0], wh[1]);
            t.test(rgb, wh[0], wh[1], out, 0);
            t.train(rgb, wh[0], wh[1], new SplittableRandom(wh[0]), out, 0);
            for (float v : out) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> t.test(new byte[10], 2, 2, out, 0));
    }
}
