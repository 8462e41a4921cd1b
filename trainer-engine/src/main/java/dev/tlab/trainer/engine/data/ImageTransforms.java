package dev.tlab.trainer.engine.data;

import dev.tlab.datafiles.CifarFormat;
import java.util.SplittableRandom;

/**
 * The study's transforms on float arrays (CHW, normalised), for square 32x32 sources.
 *
 * <ul>
 *   <li>train: RandomResizedCrop(S, scale (0.6, 1), ratio (3/4, 4/3)) with torchvision's sampling (10 attempts,
 *       log-uniform ratio, then a centre-crop fallback), bilinear resize, RandomHorizontalFlip(0.5), to [0,1],
 *       Normalize;
 *   <li>test: Resize(round(S * 256 / 224)) of the shorter side, CenterCrop(S), to [0,1], Normalize.
 * </ul>
 *
 * <p>Resizing follows PIL's bilinear filter (triangle kernel widened when shrinking, i.e. antialiased) since
 * torchvision applies it to PIL images. It is computed in float without PIL's 8-bit rounding between the two passes, so
 * values can differ from PIL by about one grey level.
 */
public final class ImageTransforms {

    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};
    static final double SCALE_MIN = 0.6;
    static final double SCALE_MAX = 1.0;
    static final double RATIO_MIN = 3.0 / 4.0;
    static final double RATIO_MAX = 4.0 / 3.0;

    private final int size;
    private final int testResize;

    public ImageTransforms(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be positive: " + size);
        }
        this.size = size;
        this.testResize = (int) Math.rint(size * 256.0 / 224.0);
    }

    public int size() {
        return size;
    }

    public int testResize() {
        return testResize;
    }

    public int outputLength() {
        return 3 * size * size;
    }

    /** torchvision's RandomResizedCrop.get_params for a height x width source. */
    public static CropBox randomResizedCropBox(int height, int width, SplittableRandom rng) {
        double area = (double) height * width;
        double logMin = Math.log(RATIO_MIN);
        double logMax = Math.log(RATIO_MAX);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * uniform(rng, SCALE_MIN, SCALE_MAX);
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            // Python's round() rounds halves to even, like Math.rint.
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < RATIO_MIN) {
            w = width;
            h = (int) Math.rint(w / RATIO_MIN);
        } else if (inRatio > RATIO_MAX) {
            h = height;
            w = (int) Math.rint(h * RATIO_MAX);
        } else {
            w = width;
            h = height;
        }
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** Train transform of one image into out[offset .. offset + 3*S*S). */
    public void train(int[] chw, SplittableRandom rng, float[] out, int offset) {
        CropBox box = randomResizedCropBox(CifarFormat.SIDE, CifarFormat.SIDE, rng);
        boolean flip = rng.nextDouble() < 0.5;
        resizeNormalize(chw, box, size, flip, out, offset, 0, 0, size);
    }

    /** Test transform of one image into out[offset .. offset + 3*S*S). */
    public void test(int[] chw, float[] out, int offset) {
        // Resize the whole image to R x R (square source), then take the centre S x S window of it.
        int r = testResize;
        int cropTop = (int) Math.rint((r - size) / 2.0);
        int cropLeft = cropTop;
        if (size > r) {
            throw new IllegalStateException("centre crop larger than the resized image");
        }
        CropBox whole = new CropBox(0, 0, CifarFormat.SIDE, CifarFormat.SIDE);
        resizeNormalize(chw, whole, r, false, out, offset, cropTop, cropLeft, size);
    }

    /**
     * Resizes the box of the source to target x target, optionally mirrored, keeps the window [winTop, winTop+win) x
     * [winLeft, winLeft+win) of the result, scales to [0,1] and normalises.
     */
    static void resizeNormalize(
            int[] chw,
            CropBox box,
            int target,
            boolean flip,
            float[] out,
            int offset,
            int winTop,
            int winLeft,
            int win) {
        Kernel ky = Kernel.of(box.height(), target, winTop, win);
        Kernel kx = Kernel.of(box.width(), target, winLeft, win);
        float[] rows = new float[box.height() * win];
        for (int c = 0; c < 3; c++) {
            int plane = c * CifarFormat.PLANE;
            // Horizontal pass: every source row of the box to win output columns.
            for (int y = 0; y < box.height(); y++) {
                int rowBase = plane + (box.top() + y) * CifarFormat.SIDE + box.left();
                for (int x = 0; x < win; x++) {
                    rows[y * win + x] = kx.apply(chw, rowBase, 1, x);
                }
            }
            float mean = MEAN[c];
            float invStd = 1f / STD[c];
            int outPlane = offset + c * win * win;
            for (int y = 0; y < win; y++) {
                for (int x = 0; x < win; x++) {
                    float v = ky.applyColumn(rows, x, win, y) / 255f;
                    int ox = flip ? win - 1 - x : x;
                    out[outPlane + y * win + ox] = (v - mean) * invStd;
                }
            }
        }
    }

    /** PIL-style separable bilinear weights from a source length to a target length (window only). */
    private record Kernel(int[] start, int[] count, float[][] weights) {

        static Kernel of(int in, int outSize, int from, int n) {
            double scale = (double) in / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // triangle support 1, widened when shrinking
            int[] start = new int[n];
            int[] count = new int[n];
            float[][] weights = new float[n][];
            for (int k = 0; k < n; k++) {
                int o = from + k;
                double center = (o + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), in);
                double[] w = new double[Math.max(hi - lo, 0)];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j - center + 0.5) / filterScale);
                    double v = t < 1 ? 1 - t : 0;
                    w[j - lo] = v;
                    sum += v;
                }
                weights[k] = new float[w.length];
                for (int j = 0; j < w.length; j++) {
                    weights[k][j] = (float) (sum == 0 ? 0 : w[j] / sum);
                }
                start[k] = lo;
                count[k] = w.length;
            }
            return new Kernel(start, count, weights);
        }

        float apply(int[] src, int base, int stride, int k) {
            float acc = 0;
            float[] w = weights[k];
            int s = base + start[k] * stride;
            for (int j = 0; j < count[k]; j++, s += stride) {
                acc += w[j] * src[s];
            }
            return acc;
        }

        float applyColumn(float[] rows, int x, int rowLength, int k) {
            float acc = 0;
            float[] w = weights[k];
            int s = start[k] * rowLength + x;
            for (int j = 0; j < count[k]; j++, s += rowLength) {
                acc += w[j] * rows[s];
            }
            return acc;
        }
    }
}
