package dev.tlab.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The marker segments of a JPEG file before its first scan: read for the EXIF orientation, and rewritten without
 * embedded ICC profiles.
 *
 * <p>Why profiles go: PIL does not apply an embedded ICC profile when it opens or converts a JPEG (the profile is only
 * kept in {@code info["icc_profile"]}), so torchvision trains on the decoded values as they are. The JDK's JPEG reader
 * instead converts a non-sRGB profile's values to sRGB (by up to 73 grey levels on a linear-RGB profile, measured
 * here). Without the APP2 {@code ICC_PROFILE} segments the JDK decodes exactly PIL 9.4's values (checked on baseline
 * 4:2:0, 4:2:2, 4:4:4, progressive and grayscale files).
 */
final class JpegSegments {

    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int ORIENTATION_TAG = 0x0112;

    private JpegSegments() {}

    /** The same file without APP2 ICC_PROFILE segments (the input itself when it has none or is malformed). */
    static byte[] withoutIccProfiles(byte[] jpeg) {
        if (!hasIccProfile(jpeg)) {
            return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int[] at = {2, 2};
        int copiedTo = 2;
        while (true) {
            int marker = nextSegment(jpeg, at);
            int start = at[1];
            if (marker < 0 || marker == SOS) {
                break;
            }
            if (isIcc(jpeg, marker, start)) {
                out.write(jpeg, copiedTo, start - copiedTo);
                copiedTo = at[0];
            }
        }
        out.write(jpeg, copiedTo, jpeg.length - copiedTo);
        return out.toByteArray();
    }

    private static boolean hasIccProfile(byte[] jpeg) {
        int[] at = {2, 2};
        while (true) {
            int marker = nextSegment(jpeg, at);
            int start = at[1];
            if (marker < 0 || marker == SOS) {
                return false;
            }
            if (isIcc(jpeg, marker, start)) {
                return true;
            }
        }
    }

    private static boolean isIcc(byte[] jpeg, int marker, int segmentStart) {
        return marker == APP2 && matches(jpeg, segmentStart + 4, ICC_PROFILE);
    }

    /**
     * The EXIF orientation (1 to 8) from the first APP1 Exif segment's IFD0, or 1 where there is none or it cannot be
     * read (an unreadable tag changes nothing: it is only reported).
     */
    static int exifOrientation(byte[] jpeg) {
        int[] at = {2, 2};
        while (true) {
            int marker = nextSegment(jpeg, at);
            int start = at[1];
            if (marker < 0 || marker == SOS) {
                return 1;
            }
            if (marker == APP1 && matches(jpeg, start + 4, EXIF)) {
                return orientationFromTiff(jpeg, start + 4 + EXIF.length, at[0]);
            }
        }
    }

    private static int orientationFromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = tiff + unsigned32(b, tiff + 4, little);
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = unsigned16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (unsigned16(b, entry, little) == ORIENTATION_TAG && unsigned16(b, entry + 2, little) == 3) {
                int value = unsigned16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /**
     * Reads the marker at {@code at[0]}, sets {@code at[1]} to its 0xFF byte (after any fill bytes) and moves
     * {@code at[0]} past its segment. Returns the marker code, or -1 at a malformed or truncated header (the decoder
     * then reports the file).
     */
    private static int nextSegment(byte[] b, int[] at) {
        int i = at[0];
        if (i + 1 >= b.length || (b[i] & 0xFF) != 0xFF) {
            return -1;
        }
        while (i + 1 < b.length && (b[i + 1] & 0xFF) == 0xFF) {
            i++; // fill bytes
        }
        if (i + 3 >= b.length) {
            return -1;
        }
        int marker = b[i + 1] & 0xFF;
        at[1] = i;
        if (marker == SOS) {
            at[0] = i;
            return SOS;
        }
        int length = unsigned16(b, i + 2, false);
        if (length < 2 || i + 2 + length > b.length) {
            return -1;
        }
        at[0] = i + 2 + length;
        return marker;
    }

    private static boolean matches(byte[] b, int offset, byte[] expected) {
        if (offset + expected.length > b.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int unsigned16(byte[] b, int i, boolean little) {
        int b0 = b[i] & 0xFF;
        int b1 = b[i + 1] & 0xFF;
        return little ? b0 | (b1 << 8) : (b0 << 8) | b1;
    }

    private static long unsigned32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int shift = little ? 8 * k : 8 * (3 - k);
            v |= (long) (b[i + k] & 0xFF) << shift;
        }
        return v;
    }
}
