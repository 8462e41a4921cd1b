package dev.tlab.images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Photo-like images made from a seed, for tests, demos and benchmarks that need image files without shipping any:
 * smooth colour waves plus per-pixel noise, so that JPEG compresses and decodes them like photos (a 500x375 one is
 * about 70 KB at quality 0.9, in the range of camera photos scaled to that size). Deterministic for a seed.
 */
public final class SyntheticImages {

    private SyntheticImages() {}

    /** A photo-like RGB image; {@code seed} shifts the waves' phases and the noise. */
    public static RgbImage photo(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r = 128 + 100 * Math.sin(x / 37.0 + y / 53.0 + seed);
                double g = 128 + 90 * Math.cos(x / 23.0 - y / 41.0);
                double b = 128 + 80 * Math.sin((x + y) / 61.0 + seed * 0.5);
                int o = 3 * (y * width + x);
                rgb[o] = clip(r + random.nextInt(-12, 13));
                rgb[o + 1] = clip(g + random.nextInt(-12, 13));
                rgb[o + 2] = clip(b + random.nextInt(-12, 13));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static byte clip(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    /** A baseline JPEG (4:2:0, the JDK's writer) of the image at the given quality (0 to 1). */
    public static byte[] jpeg(RgbImage image, float quality) {
        BufferedImage buffered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) buffered.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(buffered, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
