package dev.tlab.images;

/**
 * Decoded pixels as PIL's {@code convert("RGB")} holds them: 8-bit red, green, blue interleaved, row by row (HWC),
 * {@code rgb.length == 3 * width * height}.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width < 1 || height < 1 || rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "an RGB image of " + width + "x" + height + " needs " + 3L * width * height + " bytes");
        }
    }

    /** The value 0..255 of channel {@code c} (0 red, 1 green, 2 blue) at column x, row y. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }
}
