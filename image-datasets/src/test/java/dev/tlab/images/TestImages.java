package dev.tlab.images;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image files the tests make themselves, deterministically: JPEG, BMP and GIF with the JDK's writers, PNG with a small
 * encoder of its own so that every colour type and bit depth (and palette transparency) can be written exactly.
 *
 * <p>{@link #main} writes every variant that {@code PilReferenceTest} checks into a folder, so that the PIL reference
 * values can be made again: {@code java ... TestImages DIR} then {@code /usr/bin/python3
 * image-datasets/src/test/python/pil_reference.py DIR} (Debian 12's python3-pil 9.4).
 */
public final class TestImages {

    private TestImages() {}

    /** A photo-like RGB image ({@link SyntheticImages#photo}), HWC bytes. */
    public static byte[] photoPixels(int width, int height, long seed) {
        return SyntheticImages.photo(width, height, seed).rgb();
    }

    /** A flat image of one colour (distinct colours make distinct digests). */
    public static byte[] flatPixels(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[3 * width * height];
        for (int i = 0; i < width * height; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return rgb;
    }

    /** An RGB image of HWC bytes as a 3-byte BGR BufferedImage. */
    public static BufferedImage bufferedRgb(int width, int height, byte[] rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int[] px = new int[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = 3 * (y * width + x);
                px[0] = rgb[o] & 0xFF;
                px[1] = rgb[o + 1] & 0xFF;
                px[2] = rgb[o + 2] & 0xFF;
                raster.setPixel(x, y, px);
            }
        }
        return image;
    }

    public static byte[] jpeg(int width, int height, byte[] rgb, float quality) {
        return jpeg(bufferedRgb(width, height, rgb), quality);
    }

    public static byte[] jpeg(BufferedImage image, float quality) {
        return write("jpeg", new IIOImage(image, null, null), quality);
    }

    /** A grayscale JPEG (one component) of the image's red channel. */
    public static byte[] grayJpeg(int width, int height, byte[] rgb) {
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = gray.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, rgb[3 * (y * width + x)] & 0xFF);
            }
        }
        return jpeg(gray, 0.9f);
    }

    /**
     * A four-component JPEG from four raw planes (the JDK's writer stores a 4-band raster's values as they are, without
     * an Adobe APP14 marker), with an Adobe marker added whose transform is 0 (CMYK) or, with {@code ycck}, 2: decoders
     * then read the same scans as YCCK and convert them to CMYK first.
     */
    public static byte[] fourComponentJpeg(int width, int height, long seed, boolean ycck) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, new Point());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(
                        x, y, new int[] {(x * 10 + (int) seed) % 256, (y * 15) % 256, (x * y) % 256, ((x + y) * 5) % 256
                        });
            }
        }
        byte[] jpeg = write("jpeg", new IIOImage(raster, null, null), 0.95f);
        if (indexOf(jpeg, "Adobe".getBytes(StandardCharsets.ISO_8859_1)) >= 0) {
            throw new IllegalStateException("the JDK now writes its own Adobe marker");
        }
        // Adobe APP14: "Adobe", version 100, flags0, flags1, transform (0 = CMYK as is, 2 = YCCK).
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)};
        return insertSegment(jpeg, 0xEE, adobe);
    }

    /** The JPEG with an APP2 ICC_PROFILE segment (the JDK's linear-RGB profile) right after SOI. */
    public static byte[] withIccProfile(byte[] jpeg) {
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB)
                .getData();
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        segment.write(1); // chunk 1
        segment.write(1); // of 1
        segment.writeBytes(profile);
        return insertSegment(jpeg, 0xE2, segment.toByteArray());
    }

    /** The JPEG with an APP1 Exif segment whose IFD0 holds only the orientation tag. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        tiff.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        tiff.writeBytes(littleEndian ? new byte[] {'I', 'I', 42, 0} : new byte[] {'M', 'M', 0, 42});
        write32(tiff, 8, littleEndian);
        write16(tiff, 1, littleEndian);
        write16(tiff, 0x0112, littleEndian);
        write16(tiff, 3, littleEndian);
        write32(tiff, 1, littleEndian);
        write16(tiff, orientation, littleEndian);
        write16(tiff, 0, littleEndian);
        write32(tiff, 0, littleEndian);
        return insertSegment(jpeg, 0xE1, tiff.toByteArray());
    }

    private static byte[] insertSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        int length = payload.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void write16(ByteArrayOutputStream out, int v, boolean little) {
        if (little) {
            out.write(v & 0xFF);
            out.write(v >> 8 & 0xFF);
        } else {
            out.write(v >> 8 & 0xFF);
            out.write(v & 0xFF);
        }
    }

    private static void write32(ByteArrayOutputStream out, int v, boolean little) {
        if (little) {
            write16(out, v & 0xFFFF, true);
            write16(out, v >>> 16, true);
        } else {
            write16(out, v >>> 16, false);
            write16(out, v & 0xFFFF, false);
        }
    }

    /** A 24-bit BMP. */
    public static byte[] bmp(int width, int height, byte[] rgb) {
        return write("bmp", new IIOImage(bufferedRgb(width, height, rgb), null, null), null);
    }

    /** An 8-bit palette BMP with the given palette and indices. */
    public static byte[] paletteBmp(int width, int height, IndexColorModel palette, byte[] indices) {
        return write("bmp", new IIOImage(indexed(width, height, palette, indices), null, null), null);
    }

    /** A 16-bit 5-6-5 BMP (packed fields). */
    public static byte[] bmp565(int width, int height, byte[] rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_565_RGB);
        image.getGraphics().drawImage(bufferedRgb(width, height, rgb), 0, 0, null);
        return write("bmp", new IIOImage(image, null, null), null);
    }

    /** A single-frame GIF with the given palette and indices. */
    public static byte[] gif(int width, int height, IndexColorModel palette, byte[] indices) {
        return write("gif", new IIOImage(indexed(width, height, palette, indices), null, null), null);
    }

    /** A two-frame GIF: the first frame as given, the second all palette index 1. */
    public static byte[] animatedGif(int width, int height, IndexColorModel palette, byte[] indices) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(indexed(width, height, palette, indices), null, null), null);
            byte[] second = new byte[width * height];
            java.util.Arrays.fill(second, (byte) 1);
            writer.writeToSequence(new IIOImage(indexed(width, height, palette, second), null, null), null);
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static BufferedImage indexed(int width, int height, IndexColorModel palette, byte[] indices) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, indices[y * width + x] & 0xFF);
            }
        }
        return image;
    }

    /** A palette of 16 distinct colours. */
    public static IndexColorModel palette16() {
        byte[] r = new byte[16];
        byte[] g = new byte[16];
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (byte) (i * 16 + 3);
            g[i] = (byte) (255 - i * 13);
            b[i] = (byte) ((i * 71) % 256);
        }
        return new IndexColorModel(8, 16, r, g, b);
    }

    /** Indices 0..15 in a pattern. */
    public static byte[] paletteIndices(int width, int height) {
        byte[] indices = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                indices[y * width + x] = (byte) ((x / 3 + y / 2) % 16);
            }
        }
        return indices;
    }

    private static byte[] write(String format, IIOImage image, Float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A PNG of the given colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA) and bit depth, from samples given
     * row by row, channel-interleaved, one int per sample. {@code palette} (RGB triples) and {@code transparency} (the
     * tRNS chunk's bytes) only where given.
     */
    public static byte[] png(
            int width, int height, int colourType, int bitDepth, int[] samples, byte[] palette, byte[] transparency) {
        int channels = switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("colour type " + colourType);
        };
        int rowBits = width * channels * bitDepth;
        int rowBytes = (rowBits + 7) / 8;
        byte[] raw = new byte[height * (rowBytes + 1)];
        int s = 0;
        for (int y = 0; y < height; y++) {
            int rowStart = y * (rowBytes + 1) + 1; // filter byte 0 (None) before each row
            int bit = 0;
            for (int i = 0; i < width * channels; i++) {
                int v = samples[s++];
                if (bitDepth == 16) {
                    raw[rowStart + 2 * i] = (byte) (v >> 8);
                    raw[rowStart + 2 * i + 1] = (byte) v;
                } else if (bitDepth == 8) {
                    raw[rowStart + i] = (byte) v;
                } else {
                    int shift = 8 - bitDepth - (bit % 8);
                    raw[rowStart + bit / 8] |= (byte) (v << shift);
                    bit += bitDepth;
                }
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeInt(width);
            h.writeInt(height);
            h.writeByte(bitDepth);
            h.writeByte(colourType);
            h.writeByte(0);
            h.writeByte(0);
            h.writeByte(0);
            chunk(out, "IHDR", header.toByteArray());
            if (palette != null) {
                chunk(out, "PLTE", palette);
            }
            if (transparency != null) {
                chunk(out, "tRNS", transparency);
            }
            Deflater deflater = new Deflater(9);
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            chunk(out, "IDAT", compressed.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid 8-bit grayscale PNG of zeros, deflated as a stream (its pixels are never held whole). */
    public static byte[] zeroPng(int width, int height) {
        try {
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat, new Deflater(9))) {
                byte[] row = new byte[width + 1];
                for (int y = 0; y < height; y++) {
                    z.write(row);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 0, 0, 0, 0});
            chunk(out, "IHDR", header.toByteArray());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** Samples 0..max-1 in a pattern over the channels, for a PNG of that many channels and bit depth. */
    public static int[] patternSamples(int width, int height, int channels, int bitDepth) {
        int max = (1 << bitDepth) - 1;
        int[] samples = new int[width * height * channels];
        int s = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    long v = (long) (x * 37 + y * 101 + c * 59) * (max / 60 + 1) + (long) x * y * c;
                    samples[s++] = (int) (v % (max + 1));
                }
            }
        }
        return samples;
    }

    /**
     * A lossless WebP (VP8L) whose every channel takes one of two values: pixel (x, y) has red {@code reds[(x / 2) %
     * 2]}, green {@code greens[(y / 3) % 2]}, blue {@code blues[(x + y) % 2]}, alpha 255. No Java library writes WebP;
     * this is the smallest valid VP8L stream (no transforms, no colour cache, one "simple" prefix code of two 1-bit
     * symbols per channel), written from the WebP lossless bitstream specification (RFC 9649).
     */
    public static byte[] losslessWebp(int width, int height, int[] reds, int[] greens, int[] blues) {
        BitWriter bits = new BitWriter();
        bits.write(0x2F, 8); // signature
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1); // alpha unused
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        twoSymbolCode(bits, greens);
        twoSymbolCode(bits, reds);
        twoSymbolCode(bits, blues);
        oneSymbolCode(bits, 255); // alpha
        oneSymbolCode(bits, 0); // distance (unused)
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                bits.write(codeOf(greens, (y / 3) % 2), 1);
                bits.write(codeOf(reds, (x / 2) % 2), 1);
                bits.write(codeOf(blues, (x + y) % 2), 1);
            }
        }
        byte[] payload = bits.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int padded = payload.length + (payload.length & 1);
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        write32(out, 4 + 8 + padded, true);
        out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        write32(out, payload.length, true);
        out.writeBytes(payload);
        if ((payload.length & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** Canonical codes give the smaller symbol code 0. */
    private static int codeOf(int[] pair, int which) {
        int other = pair[1 - which];
        return pair[which] < other ? 0 : 1;
    }

    private static void twoSymbolCode(BitWriter bits, int[] pair) {
        if (pair[0] == pair[1]) {
            throw new IllegalArgumentException("two distinct values needed");
        }
        bits.write(1, 1); // simple code
        bits.write(1, 1); // two symbols
        bits.write(1, 1); // first symbol in 8 bits
        // In ascending order, as libwebp's encoder writes them (TwelveMonkeys 3.14 gives the first listed symbol code 0
        // where the canonical code gives it to the smaller one, so a descending pair would decode differently).
        bits.write(Math.min(pair[0], pair[1]), 8);
        bits.write(Math.max(pair[0], pair[1]), 8);
    }

    private static void oneSymbolCode(BitWriter bits, int symbol) {
        bits.write(1, 1);
        bits.write(0, 1);
        bits.write(1, 1);
        bits.write(symbol, 8);
    }

    /** Least-significant bit first, as VP8L reads. */
    private static final class BitWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long buffer;
        private int count;

        void write(int value, int n) {
            buffer |= ((long) value & ((1L << n) - 1)) << count;
            count += n;
            while (count >= 8) {
                bytes.write((int) (buffer & 0xFF));
                buffer >>>= 8;
                count -= 8;
            }
        }

        byte[] toByteArray() {
            if (count > 0) {
                bytes.write((int) (buffer & 0xFF));
                buffer = 0;
                count = 0;
            }
            return bytes.toByteArray();
        }
    }

    /**
     * A GIF whose 30x20 logical screen holds a 10x8 first frame at (5, 4), written byte by byte (the JDK's writer
     * always makes the screen the frame's size); {@code transparentIndex} adds a graphic control extension. Its LZW
     * data never grows the code width (a clear code before the table would), the simplest valid stream.
     */
    public static byte[] offsetGif(int transparentIndex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        write16(out, 30, true);
        write16(out, 20, true);
        out.write(0x80 | 0x01); // global colour table of 4 entries
        out.write(3); // background index (PIL does not use it for the first frame)
        out.write(0);
        out.writeBytes(
                new byte[] {(byte) 200, 10, 10, 10, (byte) 200, 10, 10, 10, (byte) 200, (byte) 250, (byte) 250, 0});
        if (transparentIndex >= 0) {
            out.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 1, 0, 0, (byte) transparentIndex, 0});
        }
        out.write(0x2C);
        write16(out, 5, true);
        write16(out, 4, true);
        write16(out, 10, true);
        write16(out, 8, true);
        out.write(0);
        int minCode = 2;
        int clear = 1 << minCode;
        int width = minCode + 1;
        int limit = (1 << width) - (clear + 2) - 1;
        BitWriter bits = new BitWriter();
        bits.write(clear, width);
        int run = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                if (run == limit) {
                    bits.write(clear, width);
                    run = 0;
                }
                bits.write((x + y) % 3, width);
                run++;
            }
        }
        bits.write(clear + 1, width);
        byte[] data = bits.toByteArray();
        out.write(minCode);
        for (int i = 0; i < data.length; i += 255) {
            int n = Math.min(255, data.length - i);
            out.write(n);
            out.write(data, i, n);
        }
        out.write(0);
        out.write(0x3B);
        return out.toByteArray();
    }

    /** A picture made by each variant the PIL reference covers, by name. */
    public static java.util.Map<String, byte[]> pilVariants() {
        int w = 23;
        int h = 17;
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        byte[] photo = photoPixels(w, h, 3);
        files.put("rgb.jpg", jpeg(w, h, photo, 0.9f));
        files.put("rgb-icc.jpg", withIccProfile(jpeg(w, h, photo, 0.9f)));
        files.put("gray.jpg", grayJpeg(w, h, photo));
        files.put("cmyk.jpg", fourComponentJpeg(w, h, 1, false));
        files.put("ycck.jpg", fourComponentJpeg(w, h, 2, true));
        files.put("gray1.png", png(w, h, 0, 1, patternSamples(w, h, 1, 1), null, null));
        files.put("gray2.png", png(w, h, 0, 2, patternSamples(w, h, 1, 2), null, null));
        files.put("gray4.png", png(w, h, 0, 4, patternSamples(w, h, 1, 4), null, null));
        files.put("gray8.png", png(w, h, 0, 8, patternSamples(w, h, 1, 8), null, null));
        files.put("gray16.png", png(w, h, 0, 16, patternSamples(w, h, 1, 16), null, null));
        files.put("gray16-low.png", png(w, h, 0, 16, lowSamples(w, h, 1), null, null));
        files.put("gray-alpha8.png", png(w, h, 4, 8, patternSamples(w, h, 2, 8), null, null));
        files.put("gray-alpha16.png", png(w, h, 4, 16, patternSamples(w, h, 2, 16), null, null));
        files.put("rgb8.png", png(w, h, 2, 8, patternSamples(w, h, 3, 8), null, null));
        files.put("rgb16.png", png(w, h, 2, 16, patternSamples(w, h, 3, 16), null, null));
        files.put("rgba8.png", png(w, h, 6, 8, patternSamples(w, h, 4, 8), null, null));
        files.put("rgba16.png", png(w, h, 6, 16, patternSamples(w, h, 4, 16), null, null));
        byte[] pal = new byte[16 * 3];
        for (int i = 0; i < pal.length; i++) {
            pal[i] = (byte) (i * 41 + 7);
        }
        byte[] trns = new byte[] {0, (byte) 128, (byte) 255, 10};
        files.put("palette4.png", png(w, h, 3, 4, patternSamples(w, h, 1, 4), pal, trns));
        files.put("palette8.png", png(w, h, 3, 8, modSamples(patternSamples(w, h, 1, 8), 16), pal, null));
        files.put("rgb.bmp", bmp(w, h, photo));
        files.put("palette.bmp", paletteBmp(w, h, palette16(), paletteIndices(w, h)));
        files.put("rgb565.bmp", bmp565(w, h, photo));
        files.put("palette.gif", gif(w, h, palette16(), paletteIndices(w, h)));
        files.put("animated.gif", animatedGif(w, h, palette16(), paletteIndices(w, h)));
        files.put("offset.gif", offsetGif(-1));
        files.put("offset-transparent.gif", offsetGif(2));
        files.put("lossless.webp", losslessWebp(w, h, new int[] {200, 30}, new int[] {90, 10}, new int[] {5, 250}));
        return files;
    }

    /** 16-bit samples that all fit in 8 bits (PIL's clip leaves them as they are). */
    private static int[] lowSamples(int width, int height, int channels) {
        int[] samples = patternSamples(width, height, channels, 8);
        return samples;
    }

    private static int[] modSamples(int[] samples, int modulus) {
        for (int i = 0; i < samples.length; i++) {
            samples[i] %= modulus;
        }
        return samples;
    }

    /** Writes {@link #pilVariants()} into the folder given (for the PIL reference script). */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        Files.createDirectories(folder);
        for (var file : pilVariants().entrySet()) {
            Files.write(folder.resolve(file.getKey()), file.getValue());
        }
    }
}
