package dev.tlab.images;

/** An image file that decoded: its path in the source, the sha256 of its bytes, and what decoding it found. */
public record ScannedFile(
        String path,
        String sha256,
        long bytes,
        int width,
        int height,
        ImageFormat format,
        int exifOrientation,
        boolean pilExact) {}
