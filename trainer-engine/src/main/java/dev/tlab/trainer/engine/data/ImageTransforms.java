package dev.tlab.trainer.engine.data;

import dev.tlab.datafiles.CifarFormat;
import java.util.SplittableRandom;

/**
 * The study's transforms on float arrays (CHW, normalised), for images of any size and aspect ratio: the 32x32 CIFAR-10
 * records and users' own images (8-bit RGB, interleaved row by row, as {@code PIL.Image.convert("RGB")} holds them).
 *
 * <ul>
 *   <li>train: RandomResizedCrop(S, scale (0.6, 1), ratio (3/4, 4/3)) on the original image with torchvision's sampling
 *       (10 attempts, log-uniform ratio, then a centre-crop fallback), bilinear resize of the crop to S x S,
 *       RandomHorizontalFlip(0.5), to [0,1], Normalize;
 *   <li>test: Resize(round(S * 256 / 224)) of the shorter side (the longer one to {@code int(R * long / short)}, as
 *       torchvision 0.14's {@code _compute_resized_output_size}), CenterCrop(S) at {@code round((side - S) / 2)}
 *       (Python's round, half to even), to [0,1], Normalize.
 * </ul>
 *
 * <p>Resizing follows PIL's bilinear filter (triangle kernel widened when shrinking, i.e. antialiased), since
 * torchvision applies it to PIL images, separately along each axis. It is computed in float without PIL's 8-bit
 * rounding between the two passes, so values can differ from PIL by a grey level or two (the tests bound it against PIL
 * and torchvision on non-square images). Only the source rows and the output window a transform needs are computed.
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

    /** Train transform of one CIFAR-10 record (CHW, 0..255) into out[offset .. offset + 3*S*S). */
    public void train(int[] chw, SplittableRandom rng, float[] out, int offset) {
        train(interleaved(chw), CifarFormat.SIDE, CifarFormat.SIDE, rng, out, offset);
    }

    /** Test transform of one CIFAR-10 record (CHW, 0..255) into out[offset .. offset + 3*S*S). */
    public void test(int[] chw, float[] out, int offset) {
        test(interleaved(chw), CifarFormat.SIDE, CifarFormat.SIDE, out, offset);
    }

    /**
     * Train transform of one RGB image (HWC bytes, {@code 3 * width * height} of them) into out[offset .. offset +
     * 3*S*S): the crop box is drawn on the original image.
     */
    public void train(byte[] rgb, int width, int height, SplittableRandom rng, float[] out, int offset) {
        checkImage(rgb, width, height);
        CropBox box = randomResizedCropBox(height, width, rng);
        boolean flip = rng.nextDouble() < 0.5;
        resizeNormalize(rgb, width, box, size, size, flip, out, offset, 0, 0, size);
    }

    /** Test transform of one RGB image (HWC bytes) into out[offset .. offset + 3*S*S). */
    public void test(byte[] rgb, int width, int height, float[] out, int offset) {
        checkImage(rgb, width, height);
        int[] resized = testResizedSize(width, height);
        int newWidth = resized[0];
        int newHeight = resized[1];
        if (size > newWidth || size > newHeight) {
            throw new IllegalStateException("centre crop larger than the resized image");
        }
        int cropTop = (int) Math.rint((newHeight - size) / 2.0);
        int cropLeft = (int) Math.rint((newWidth - size) / 2.0);
        CropBox whole = new CropBox(0, 0, height, width);
        resizeNormalize(rgb, width, whole, newHeight, newWidth, false, out, offset, cropTop, cropLeft, size);
    }

    /**
     * Width and height after Resize(R) of the shorter side: torchvision 0.14's {@code _compute_resized_output_size},
     * {@code new_long = int(R * long / short)} (truncated).
     */
    int[] testResizedSize(int width, int height) {
        int shorter = Math.min(width, height);
        int longer = Math.max(width, height);
        int newLonger = (int) ((double) ((long) testResize * longer) / shorter);
        return width <= height ? new int[] {testResize, newLonger} : new int[] {newLonger, testResize};
    }

    private static void checkImage(byte[] rgb, int width, int height) {
        if (width < 1 || height < 1 || rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs "
                    + 3L * width * height + " bytes, got " + rgb.length);
        }
    }

    /** A CIFAR-10 record's planes as interleaved RGB bytes, the layout every image goes through. */
    private static byte[] interleaved(int[] chw) {
        byte[] rgb = new byte[3 * CifarFormat.PLANE];
        for (int i = 0; i < CifarFormat.PLANE; i++) {
            rgb[3 * i] = (byte) chw[i];
            rgb[3 * i + 1] = (byte) chw[CifarFormat.PLANE + i];
            rgb[3 * i + 2] = (byte) chw[2 * CifarFormat.PLANE + i];
        }
        return rgb;
    }

    /**
     * Resizes the box of the source (HWC bytes, {@code width} pixels a row) to targetHeight x targetWidth, optionally
     * mirrored, keeps the window [winTop, winTop+win) x [winLeft, winLeft+win) of the result, scales to [0,1] and
     * normalises.
     */
    static void resizeNormalize(
            byte[] rgb,
            int width,
            CropBox box,
            int targetHeight,
            int targetWidth,
            boolean flip,
            float[] out,
            int offset,
            int winTop,
            int winLeft,
            int win) {
        Kernel ky = Kernel.of(box.height(), targetHeight, winTop, win);
        Kernel kx = Kernel.of(box.width(), targetWidth, winLeft, win);
        // Only the box rows the vertical kernel of the window reads.
        int firstRow = ky.start()[0];
        int endRow = firstRow;
        for (int k = 0; k < win; k++) {
            firstRow = Math.min(firstRow, ky.start()[k]);
            endRow = Math.max(endRow, ky.start()[k] + ky.count()[k]);
        }
        // Horizontal pass, the three channels of a pixel together: every needed source row of the box to win output
        // columns per channel. Each value is summed over its taps in the same order as one channel at a time would,
        // so the results are the same floats.
        int rowsLength = box.height() * win;
        float[] rows = new float[3 * rowsLength];
        for (int y = firstRow; y < endRow; y++) {
            int rowBase = ((box.top() + y) * width + box.left()) * 3;
            kx.applyRow(rgb, rowBase, rows, y * win, rowsLength);
        }
        // Vertical pass, tap by tap over a whole output row (contiguous, so the JIT can vectorise the inner loop).
        float[] acc = new float[win];
        for (int c = 0; c < 3; c++) {
            float mean = MEAN[c];
            float invStd = 1f / STD[c];
            int outPlane = offset + c * win * win;
            int plane = c * rowsLength;
            for (int y = 0; y < win; y++) {
                java.util.Arrays.fill(acc, 0f);
                float[] w = ky.weights()[y];
                int first = plane + ky.start()[y] * win;
                for (int j = 0; j < w.length; j++) {
                    float wj = w[j];
                    int from = first + j * win;
                    for (int x = 0; x < win; x++) {
                        acc[x] += wj * rows[from + x];
                    }
                }
                int outRow = outPlane + y * win;
                if (flip) {
                    for (int x = 0; x < win; x++) {
                        out[outRow + win - 1 - x] = (acc[x] / 255f - mean) * invStd;
                    }
                } else {
                    for (int x = 0; x < win; x++) {
                        out[outRow + x] = (acc[x] / 255f - mean) * invStd;
                    }
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

        /**
         * One source row of interleaved RGB bytes (from {@code base}) to the window's columns, per channel: channel c
         * of column x goes to {@code rows[c * planeLength + at + x]}.
         */
        void applyRow(byte[] src, int base, float[] rows, int at, int planeLength) {
            for (int k = 0; k < start.length; k++) {
                float r = 0;
                float g = 0;
                float b = 0;
                float[] w = weights[k];
                int s = base + start[k] * 3;
                for (int j = 0; j < w.length; j++, s += 3) {
                    float wj = w[j];
                    r += wj * (src[s] & 0xFF);
                    g += wj * (src[s + 1] & 0xFF);
                    b += wj * (src[s + 2] & 0xFF);
                }
                rows[at + k] = r;
                rows[planeLength + at + k] = g;
                rows[2 * planeLength + at + k] = b;
            }
        }
    }
}
