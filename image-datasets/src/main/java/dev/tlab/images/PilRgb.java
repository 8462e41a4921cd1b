package dev.tlab.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * A decoded image's samples to 8-bit RGB exactly as PIL's {@code Image.convert("RGB")} makes them, which is what
 * torchvision's default loader trains on. Read from the raster's samples, never through Java's colour management
 * ({@code getRGB} would, for instance, apply a gamma to grayscale).
 *
 * <p>PIL's rules, from Pillow's {@code Convert.c}, {@code Unpack.c}, {@code PngImagePlugin.py} and
 * {@code JpegImagePlugin.py} (9.4 on Debian 12, unchanged through 11.x), each checked against PIL 9.4 on files the
 * tests make:
 *
 * <ul>
 *   <li>grayscale: the value in all three channels; sub-byte depths scaled to 0..255 (1 bit: 0/255, 2 bits: ×85, 4
 *       bits: ×17), the palette a decoder builds for them says the same;
 *   <li>grayscale+alpha, RGBA: alpha dropped, not composited onto any background;
 *   <li>palette (GIF, PNG, BMP): the palette's colour, transparency ignored;
 *   <li>16-bit grayscale PNG: PIL opens it as mode {@code I} and {@code convert} clips to 0..255, so every value above
 *       255 becomes 255 (not scaled: such images come out mostly white in PyTorch too);
 *   <li>16-bit RGB, RGBA and grayscale+alpha PNG: the high byte ({@code RGB;16B}, {@code LA;16B} raw modes);
 *   <li>packed BMP fields (5-5-5, 5-6-5): {@code v * 255 / (2^bits - 1)} in integers, as Pillow's {@code BGR;15} and
 *       {@code BGR;16} unpackers;
 *   <li>CMYK and YCCK JPEG: PIL decodes every four-component JPEG with the {@code CMYK;I} raw mode (Adobe's inverted
 *       convention, assumed whatever the APP14 marker says; libjpeg has already turned YCCK into CMYK) and converts
 *       with {@code nk = 255 - k; channel = clip(nk - (c * nk + 128 + ((c * nk + 128) >> 8)) >> 8)} ({@code cmyk2rgb},
 *       its {@code MULDIV255}), no ICC profile. The JDK's JPEG reader hands these files' bands over already inverted
 *       the same way, with and without an Adobe marker, and with YCCK converted (measured: equal to PIL's CMYK values).
 * </ul>
 */
final class PilRgb {

    private PilRgb() {}

    static RgbImage convert(BufferedImage image) throws ImageRejectedException {
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] rgb = new byte[3 * width * height];
        if (model instanceof IndexColorModel palette) {
            fromPalette(raster, palette, rgb);
        } else if (model.getColorSpace().getType() == ColorSpace.TYPE_CMYK && raster.getNumBands() == 4) {
            fromCmyk(raster, rgb);
        } else if (!fromInterleavedBytes(raster, model, rgb)) {
            fromSamples(raster, model, rgb);
        }
        return new RgbImage(width, height, rgb);
    }

    private static void fromPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
        int size = palette.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.getReds(reds);
        palette.getGreens(greens);
        palette.getBlues(blues);
        int width = raster.getWidth();
        int[] row = new int[width];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                // An index past the palette's end reads as black, as in PIL's palette of 256 entries.
                int index = row[x];
                if (index < size) {
                    rgb[o] = reds[index];
                    rgb[o + 1] = greens[index];
                    rgb[o + 2] = blues[index];
                }
                o += 3;
            }
        }
    }

    private static void fromCmyk(Raster raster, byte[] rgb) {
        int width = raster.getWidth();
        int[] row = new int[width * 4];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int nk = 255 - row[4 * x + 3];
                for (int c = 0; c < 3; c++) {
                    int tmp = row[4 * x + c] * nk + 128;
                    int v = nk - (((tmp >> 8) + tmp) >> 8);
                    rgb[o++] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
    }

    /** The common case (8-bit JPEG, PNG, BMP, WebP): bytes read straight from the data array. */
    private static boolean fromInterleavedBytes(Raster raster, ColorModel model, byte[] rgb) {
        if (!(raster.getSampleModel() instanceof PixelInterleavedSampleModel layout)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1
                || raster.getParent() != null
                || model.isAlphaPremultiplied()) {
            return false;
        }
        int colours = model.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            return false;
        }
        byte[] data = buffer.getData();
        int[] offsets = layout.getBandOffsets();
        int pixelStride = layout.getPixelStride();
        int scanlineStride = layout.getScanlineStride();
        int r = offsets[0];
        int g = colours == 3 ? offsets[1] : r;
        int b = colours == 3 ? offsets[2] : r;
        int width = raster.getWidth();
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            int p = buffer.getOffset() + y * scanlineStride;
            for (int x = 0; x < width; x++, p += pixelStride) {
                rgb[o++] = data[p + r];
                rgb[o++] = data[p + g];
                rgb[o++] = data[p + b];
            }
        }
        return true;
    }

    /** Everything else, band by band: 16-bit samples, packed fields, sub-byte grayscale without a palette. */
    private static void fromSamples(Raster raster, ColorModel model, byte[] rgb) throws ImageRejectedException {
        int colours = model.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            throw new ImageRejectedException(
                    RejectReason.UNSUPPORTED,
                    colours + " colour components (" + model.getColorSpace().getType() + ")");
        }
        boolean sixteenBit = model.getComponentSize(0) == 16;
        // PIL's 16-bit grayscale without alpha is mode I (clipped); with alpha, and 16-bit RGB(A), keep the high byte.
        boolean clipGray = sixteenBit && colours == 1 && !model.hasAlpha();
        int width = raster.getWidth();
        int[][] bands = new int[colours][width];
        int[] maxima = new int[colours];
        for (int c = 0; c < colours; c++) {
            maxima[c] = (1 << model.getComponentSize(c)) - 1;
        }
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int c = 0; c < colours; c++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, c, bands[c]);
            }
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < 3; k++) {
                    int c = colours == 1 ? 0 : k;
                    int v = bands[c][x];
                    int value;
                    if (clipGray) {
                        value = Math.min(v, 255);
                    } else if (sixteenBit) {
                        value = v >> 8;
                    } else {
                        value = maxima[c] == 255 ? v : v * 255 / maxima[c];
                    }
                    rgb[o++] = (byte) value;
                }
            }
        }
    }
}
