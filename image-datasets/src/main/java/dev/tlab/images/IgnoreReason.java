package dev.tlab.images;

/**
 * Why a file or folder is left out of a dataset without being an error. Counted in the description, with a few examples
 * each, so that a user sees what was not used.
 */
public enum IgnoreReason {
    /** A name starting with '.' ({@code .DS_Store}, {@code .ipynb_checkpoints/}, {@code ._photo.jpg}). */
    HIDDEN("hidden (name starts with '.')"),
    /** The {@code __MACOSX/} folder the macOS archiver adds. */
    MACOS_METADATA("macOS archive metadata (__MACOSX)"),
    /** Not a JPEG, PNG, BMP, GIF or WebP file name ({@code Thumbs.db}, {@code labels.txt}). */
    NOT_AN_IMAGE_FILE_NAME("not an image file name"),
    /** An image beside the class folders rather than in one. */
    OUTSIDE_CLASS_FOLDER("not inside a class folder"),
    /** A folder link's target, a broken link, a device or a pipe in a folder. */
    NOT_A_REGULAR_FILE("not a regular file");

    private final String description;

    IgnoreReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
