package dev.tlab.images;

/**
 * One image file decoded: its format (from its content), its pixels in RGB, its EXIF orientation tag (1, the default,
 * where the file has none), and whether the pixels are PIL's to the bit.
 *
 * <p>The orientation is reported, not applied: torchvision's loader does not apply it either, so the pixels are the
 * ones a PyTorch run on the same file trains on. {@code pilExact} is false only for lossy WebP: TwelveMonkeys' VP8
 * decoder upsamples chroma differently from libwebp (PIL's), measured here at a mean of 4 and up to 39 grey levels on a
 * 500x375 photo; JPEG, PNG, BMP, GIF and lossless WebP decode exactly as PIL 9.4 does.
 */
public record DecodedImage(ImageFormat format, RgbImage image, int exifOrientation, boolean pilExact) {}
