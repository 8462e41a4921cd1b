package dev.tlab.images;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats a dataset may hold. A file is taken as an image by its extension (case-insensitive), as
 * torchvision's {@code ImageFolder}, Keras and Hugging Face choose files; it is then decoded by its content, as PIL
 * opens it (a PNG named {@code .jpg} is a PNG).
 */
public enum ImageFormat {
    JPEG(List.of("jpg", "jpeg")),
    PNG(List.of("png")),
    BMP(List.of("bmp")),
    GIF(List.of("gif")),
    WEBP(List.of("webp"));

    private final List<String> extensions;

    ImageFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** The format a file name's extension announces, if it is an image extension. */
    public static Optional<ImageFormat> ofFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (ImageFormat format : values()) {
            if (format.extensions.contains(extension)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format the content's signature says, if it is one of these. */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(bytes, 0, 'B', 'M')) {
            return Optional.of(BMP);
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
