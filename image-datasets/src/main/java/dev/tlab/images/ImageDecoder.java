package dev.tlab.images;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one image file completely into RGB as PIL and torchvision's default loader see it, or says by
 * {@link RejectReason} why it cannot be used. Thread-safe: every call uses its own reader.
 *
 * <ul>
 *   <li>The format comes from the content, as PIL opens files. Only the first frame of a GIF or an animated WebP is
 *       read ({@code ImageFolder} trains on that frame too), placed on the GIF's logical screen as PIL shows it
 *       ({@link GifScreen}).
 *   <li>The pixel count is checked from the header, before any pixel is decoded: a decompression bomb (a small file
 *       announcing a huge image) is refused without allocating it.
 *   <li>A truncated file is rejected. The JDK's JPEG decoder fills a cut-off JPEG with grey and only tells a read
 *       warning listener ("Truncated File - Missing EOI marker", libjpeg's "Premature end of JPEG file"); PIL raises
 *       "image file is truncated" for the same files, so those warnings reject here. Other libjpeg warnings (such as
 *       extraneous bytes before a marker) are ignored, as PIL ignores them.
 *   <li>JPEG files are read with the JDK's own reader, even when another ImageIO plugin for JPEG is on the class path,
 *       and without their embedded ICC profiles (see {@link JpegSegments}): the JDK's decoder then gives PIL's values
 *       to the bit. WebP is read with TwelveMonkeys' {@code imageio-webp}.
 * </ul>
 */
public final class ImageDecoder {

    /** PIL's {@code Image.MAX_IMAGE_PIXELS}: above it PIL warns of a decompression bomb (and refuses at twice it). */
    public static final long PIL_MAX_IMAGE_PIXELS = 89_478_485L;

    private static final String JDK_JPEG_READER = "com.sun.imageio.plugins.jpeg.JPEGImageReader";

    private final long maxPixels;

    /** @param maxPixels the most pixels (width × height) one image may have */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException(RejectReason.EMPTY, "");
        }
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageRejectedException(
                        RejectReason.NOT_AN_IMAGE,
                        "it starts with the bytes "
                                + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length))));
        int orientation = 1;
        byte[] data = bytes;
        if (format == ImageFormat.JPEG) {
            orientation = JpegSegments.exifOrientation(bytes);
            data = JpegSegments.withoutIccProfiles(bytes);
        }
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            GifScreen screen = format == ImageFormat.GIF ? GifScreen.of(bytes) : null;
            int width = screen == null ? reader.getWidth(0) : Math.max(screen.width(), reader.getWidth(0));
            int height = screen == null ? reader.getHeight(0) : Math.max(screen.height(), reader.getHeight(0));
            if (width < 1 || height < 1) {
                throw new ImageRejectedException(RejectReason.UNDECODABLE, "its header says " + width + "x" + height);
            }
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw new ImageRejectedException(
                        RejectReason.TOO_MANY_PIXELS,
                        String.format(
                                Locale.ROOT,
                                "%dx%d is %,d pixels, the limit is %,d",
                                width,
                                height,
                                pixels,
                                maxPixels));
            }
            BufferedImage image = reader.read(0);
            if (format == ImageFormat.JPEG) {
                for (String warning : warnings) {
                    if (isTruncation(warning)) {
                        throw new ImageRejectedException(RejectReason.TRUNCATED, warning);
                    }
                }
            }
            RgbImage rgb = PilRgb.convert(image);
            if (screen != null && screen.pixels() > 0 && !screen.covers(rgb)) {
                rgb = screen.place(rgb, image.getColorModel() instanceof IndexColorModel p ? p : null);
            }
            return new DecodedImage(format, rgb, orientation, !isLossyWebp(format, bytes));
        } catch (EOFException e) {
            throw new ImageRejectedException(RejectReason.TRUNCATED, format + " data ends early");
        } catch (IOException | RuntimeException e) {
            // Decoders report damaged data with IIOException, and some with runtime exceptions (index out of bounds on
            // a corrupt table): either way the file is not an image that can be trained on.
            throw new ImageRejectedException(RejectReason.UNDECODABLE, format + ": " + describe(e));
        } finally {
            reader.dispose();
        }
    }

    /** A WebP whose image chunk is VP8 (lossy) rather than VP8L, found by walking the RIFF chunks. */
    static boolean isLossyWebp(ImageFormat format, byte[] bytes) {
        if (format != ImageFormat.WEBP) {
            return false;
        }
        int at = 12;
        while (at + 8 <= bytes.length) {
            String fourcc = new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (fourcc.equals("VP8 ")) {
                return true;
            }
            if (fourcc.equals("VP8L")) {
                return false;
            }
            long size = (bytes[at + 4] & 0xFFL)
                    | (bytes[at + 5] & 0xFFL) << 8
                    | (bytes[at + 6] & 0xFFL) << 16
                    | (bytes[at + 7] & 0xFFL) << 24;
            // ANMF frames nest their image chunk after a 16-byte frame header.
            long next = fourcc.equals("ANMF") ? at + 8 + 16 : at + 8 + size + (size & 1);
            if (next > Integer.MAX_VALUE) {
                return false;
            }
            at = (int) next;
        }
        return false;
    }

    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end");
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(": ");
            }
            text.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }

    private static ImageReader readerFor(ImageFormat format) throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(formatName(format));
        ImageReader first = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (format != ImageFormat.JPEG || reader.getClass().getName().equals(JDK_JPEG_READER)) {
                if (first != null) {
                    first.dispose();
                }
                return reader;
            }
            if (first == null) {
                first = reader;
            } else {
                reader.dispose();
            }
        }
        if (first != null) {
            return first;
        }
        throw new ImageRejectedException(
                RejectReason.UNSUPPORTED, "no " + format + " decoder is installed in this Java runtime");
    }

    private static String formatName(ImageFormat format) {
        return switch (format) {
            case JPEG -> "jpeg";
            case PNG -> "png";
            case BMP -> "bmp";
            case GIF -> "gif";
            case WEBP -> "webp";
        };
    }
}
