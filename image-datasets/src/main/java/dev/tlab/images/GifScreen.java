package dev.tlab.images;

import java.awt.image.IndexColorModel;

/**
 * A GIF's logical screen and where its first image lies on it, read from the file's blocks.
 *
 * <p>PIL's image of a GIF is the logical screen: the first frame is pasted at its offset onto a canvas filled with the
 * frame's transparent index if its graphic control extension has one, else index 0 (Pillow 9.4's
 * {@code GifImagePlugin}, checked against PIL on a 10x8 frame at (5, 4) of a 30x20 screen). The JDK's reader returns
 * the frame alone, so {@link ImageDecoder} puts it on the screen the same way.
 */
record GifScreen(int width, int height, int frameLeft, int frameTop, int fillIndex) {

    /** The screen and first frame's offset, or null where the blocks cannot be walked (the decoder then reports). */
    static GifScreen of(byte[] b) {
        if (b.length < 13) {
            return null;
        }
        int width = u16(b, 6);
        int height = u16(b, 8);
        int flags = b[10] & 0xFF;
        int at = 13 + ((flags & 0x80) != 0 ? 3 * (1 << ((flags & 7) + 1)) : 0);
        int transparent = -1;
        while (at < b.length) {
            int block = b[at] & 0xFF;
            if (block == 0x2C) {
                if (at + 5 > b.length) {
                    return null;
                }
                return new GifScreen(width, height, u16(b, at + 1), u16(b, at + 3), Math.max(transparent, 0));
            }
            if (block != 0x21 || at + 2 >= b.length) {
                return null;
            }
            int label = b[at + 1] & 0xFF;
            if (label == 0xF9 && at + 6 < b.length && (b[at + 3] & 1) != 0) {
                transparent = b[at + 6] & 0xFF;
            }
            at += 2;
            while (at < b.length && b[at] != 0) {
                at += (b[at] & 0xFF) + 1;
            }
            at++;
        }
        return null;
    }

    long pixels() {
        return (long) width * height;
    }

    /** Whether the frame covers exactly the screen (the common case: nothing to do). */
    boolean covers(RgbImage frame) {
        return frameLeft == 0 && frameTop == 0 && frame.width() == width && frame.height() == height;
    }

    /** The screen as PIL shows it: filled with the fill index's colour, the frame pasted at its offset (clipped). */
    RgbImage place(RgbImage frame, IndexColorModel palette) {
        byte[] rgb = new byte[3 * width * height];
        if (palette != null && fillIndex < palette.getMapSize()) {
            byte r = (byte) palette.getRed(fillIndex);
            byte g = (byte) palette.getGreen(fillIndex);
            byte bl = (byte) palette.getBlue(fillIndex);
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = r;
                rgb[i + 1] = g;
                rgb[i + 2] = bl;
            }
        }
        int columns = Math.max(0, Math.min(frame.width(), width - frameLeft));
        for (int y = 0; y < frame.height() && frameTop + y < height; y++) {
            System.arraycopy(
                    frame.rgb(), 3 * y * frame.width(), rgb, 3 * ((frameTop + y) * width + frameLeft), 3 * columns);
        }
        return new RgbImage(width, height, rgb);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }
}
