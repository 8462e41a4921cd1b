package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.PIL_MAX_IMAGE_PIXELS);

    private RejectReason rejection(byte[] bytes) {
        return assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes))
                .reason();
    }

    @Test
    void anEmptyFileIsRejectedAsEmpty() {
        assertEquals(RejectReason.EMPTY, rejection(new byte[0]));
    }

    @Test
    void textNamedLikeAnImageIsNotAnImage() {
        ImageRejectedException e = assertThrows(
                ImageRejectedException.class,
                () -> decoder.decode("<!DOCTYPE html> not a png".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(RejectReason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("3c 21 44 4f"), e.getMessage());
    }

    @Test
    void theFormatComesFromTheContentNotTheName() throws Exception {
        byte[] png = TestImages.png(4, 3, 2, 8, TestImages.patternSamples(4, 3, 3, 8), null, null);
        assertEquals(ImageFormat.PNG, decoder.decode(png).format());
    }

    @Test
    void aJpegCutShortIsRejectedAsTruncatedThoughTheJdkDecodesIt() throws Exception {
        byte[] jpeg = TestImages.jpeg(120, 90, TestImages.photoPixels(120, 90, 1), 0.9f);
        assertEquals(120, decoder.decode(jpeg).image().width());
        assertEquals(RejectReason.TRUNCATED, rejection(Arrays.copyOf(jpeg, jpeg.length / 3)));
        // Only the two bytes of the end-of-image marker missing: PIL refuses this one too.
        assertEquals(RejectReason.TRUNCATED, rejection(Arrays.copyOf(jpeg, jpeg.length - 2)));
    }

    @Test
    void truncatedPngGifAndBmpAreRejected() {
        byte[] photo = TestImages.photoPixels(60, 40, 2);
        byte[] png = TestImages.png(60, 40, 2, 8, toInts(photo), null, null);
        byte[] gif = TestImages.gif(60, 40, TestImages.palette16(), TestImages.paletteIndices(60, 40));
        byte[] bmp = TestImages.bmp(60, 40, photo);
        for (byte[] file : new byte[][] {png, gif, bmp}) {
            RejectReason reason = rejection(Arrays.copyOf(file, file.length / 2));
            assertTrue(reason == RejectReason.TRUNCATED || reason == RejectReason.UNDECODABLE, reason.toString());
        }
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderWithoutDecoding() {
        // 10,000 x 8,000 grayscale zeros: 80 MB of pixels in a file of about 80 KB.
        byte[] bomb = TestImages.zeroPng(10_000, 8_000);
        assertTrue(bomb.length < 1_000_000, "bomb of " + bomb.length + " bytes");
        ImageRejectedException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(ImageRejectedException.class, () -> new ImageDecoder(50_000_000).decode(bomb)));
        assertEquals(RejectReason.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("10000x8000 is 80,000,000 pixels, the limit is 50,000,000"), e.getMessage());
    }

    @Test
    void aGifFrameIsPlacedOnItsScreenAndAHugeScreenIsABomb() throws Exception {
        DecodedImage placed = decoder.decode(TestImages.offsetGif(-1));
        assertEquals(30, placed.image().width());
        assertEquals(20, placed.image().height());
        // PIL fills the screen with palette index 0 (red here), not with the background index 3.
        assertEquals(200, placed.image().sample(0, 0, 0));
        assertEquals(200, placed.image().sample(29, 19, 0), "outside the frame");
        byte[] bomb = TestImages.offsetGif(-1);
        bomb[6] = (byte) 0x60; // screen 60,000 x 60,000 around a 10x8 frame
        bomb[7] = (byte) 0xEA;
        bomb[8] = (byte) 0x60;
        bomb[9] = (byte) 0xEA;
        assertEquals(RejectReason.TOO_MANY_PIXELS, rejection(bomb));
    }

    @Test
    void thePixelLimitIsInclusive() throws Exception {
        byte[] png = TestImages.png(40, 25, 0, 8, new int[1000], null, null);
        assertEquals(40, new ImageDecoder(1000).decode(png).image().width());
        assertEquals(
                RejectReason.TOO_MANY_PIXELS,
                assertThrows(ImageRejectedException.class, () -> new ImageDecoder(999).decode(png))
                        .reason());
    }

    @Test
    void exifOrientationIsReportedAndNotApplied() throws Exception {
        byte[] jpeg = TestImages.jpeg(40, 30, TestImages.photoPixels(40, 30, 5), 0.9f);
        DecodedImage plain = decoder.decode(jpeg);
        assertEquals(1, plain.exifOrientation());
        for (boolean little : new boolean[] {true, false}) {
            DecodedImage rotated = decoder.decode(TestImages.withExifOrientation(jpeg, 6, little));
            assertEquals(6, rotated.exifOrientation());
            // torchvision's loader does not rotate: same size, same pixels.
            assertEquals(40, rotated.image().width());
            assertArrayEquals(plain.image().rgb(), rotated.image().rgb());
        }
    }

    @Test
    void anEmbeddedIccProfileDoesNotChangeThePixels() throws Exception {
        byte[] jpeg = TestImages.jpeg(40, 30, TestImages.photoPixels(40, 30, 6), 0.9f);
        byte[] withProfile = TestImages.withIccProfile(jpeg);
        assertArrayEquals(
                decoder.decode(jpeg).image().rgb(),
                decoder.decode(withProfile).image().rgb());
        assertEquals(jpeg.length, JpegSegments.withoutIccProfiles(withProfile).length);
    }

    @Test
    void losslessWebpIsExactAndLossyWebpIsFlagged() throws Exception {
        byte[] webp = TestImages.losslessWebp(5, 4, new int[] {10, 20}, new int[] {30, 40}, new int[] {50, 60});
        DecodedImage decoded = decoder.decode(webp);
        assertEquals(ImageFormat.WEBP, decoded.format());
        assertTrue(decoded.pilExact());
        assertEquals(10, decoded.image().sample(0, 0, 0));
        assertEquals(20, decoded.image().sample(2, 0, 0));
        assertEquals(40, decoded.image().sample(0, 3, 1));
        assertEquals(60, decoded.image().sample(1, 0, 2));
        byte[] lossyHeader = "RIFF\0\0\0\0WEBPVP8X\n\0\0\0\0\0\0\0\0\0\0\0\0\0ALPH\2\0\0\0\0\0VP8 \0\0\0\0"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(ImageDecoder.isLossyWebp(ImageFormat.WEBP, lossyHeader));
        assertFalse(ImageDecoder.isLossyWebp(ImageFormat.WEBP, webp));
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xFF;
        }
        return ints;
    }
}
