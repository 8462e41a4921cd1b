package dev.tlab.images;

import java.util.Locale;

/**
 * What one dataset may hold, checked while it is read (never from what a header or archive directory claims alone):
 *
 * <ul>
 *   <li>{@code maxFiles}: files, folders and archive entries of every kind (ignored ones too), so that the records a
 *       scan keeps stay bounded;
 *   <li>{@code maxFileBytes}: bytes of one image file (a larger one is rejected by name; at most this much of it is
 *       ever held in memory or inflated);
 *   <li>{@code maxTotalBytes}: bytes read or decompressed in all, archive entries that are skipped included (a zip or
 *       tar.gz bomb stops here);
 *   <li>{@code maxImagePixels}: width × height of one image, from its header before decoding (a larger one is rejected
 *       by name);
 *   <li>{@code maxTotalPixels}: pixels decoded in all;
 *   <li>{@code maxDepth}: folders between the dataset's root and an image.
 * </ul>
 *
 * Memory: a scan holds at most (2 × decode threads) files of {@code maxFileBytes} plus, per decode thread, one decoded
 * image of up to {@code maxImagePixels} (about 10 bytes a pixel at worst, for a 16-bit RGBA PNG), plus a record of
 * about 300 bytes per file.
 */
public record ScanLimits(
        int maxFiles, long maxFileBytes, long maxTotalBytes, long maxImagePixels, long maxTotalPixels, int maxDepth) {

    /** 100,000 files, 64 MiB a file, 8 GiB in all, 50 megapixels an image, 10 gigapixels in all, 16 folders deep. */
    public static final ScanLimits DEFAULTS =
            new ScanLimits(100_000, 64L << 20, 8L << 30, 50_000_000L, 10_000_000_000L, 16);

    /** Each limit by the name its refusals use. */
    public enum Limit {
        MAX_FILES("max-files", "files"),
        MAX_FILE_BYTES("max-file-bytes", "bytes in one file"),
        MAX_TOTAL_BYTES("max-total-bytes", "bytes in all"),
        MAX_IMAGE_PIXELS("max-image-pixels", "pixels in one image"),
        MAX_TOTAL_PIXELS("max-total-pixels", "pixels in all"),
        MAX_DEPTH("max-depth", "folders deep");

        private final String key;
        private final String unit;

        Limit(String key, String unit) {
            this.key = key;
            this.unit = unit;
        }

        /** The limit's name, as its configuration key ends (e.g. {@code max-total-bytes}). */
        public String key() {
            return key;
        }

        String describe(long value) {
            return String.format(Locale.ROOT, "%,d %s (limit %s)", value, unit, key);
        }
    }

    public ScanLimits {
        if (maxFiles < 1
                || maxFileBytes < 1
                || maxTotalBytes < 1
                || maxImagePixels < 1
                || maxTotalPixels < 1
                || maxDepth < 1) {
            throw new IllegalArgumentException("every scan limit must be positive: " + this);
        }
    }

    public long value(Limit limit) {
        return switch (limit) {
            case MAX_FILES -> maxFiles;
            case MAX_FILE_BYTES -> maxFileBytes;
            case MAX_TOTAL_BYTES -> maxTotalBytes;
            case MAX_IMAGE_PIXELS -> maxImagePixels;
            case MAX_TOTAL_PIXELS -> maxTotalPixels;
            case MAX_DEPTH -> maxDepth;
        };
    }
}
