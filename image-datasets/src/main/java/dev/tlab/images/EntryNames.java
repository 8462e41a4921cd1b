package dev.tlab.images;

import java.util.Optional;

/**
 * Which names a dataset leaves out, the same for folders and archives. Hidden names (a leading '.') are left out as
 * Hugging Face's {@code imagefolder} does and torchvision's {@code ImageFolder} does not (it would make
 * {@code .ipynb_checkpoints} a class and fail on macOS's {@code ._photo.jpg} files); {@code __MACOSX} likewise.
 */
final class EntryNames {

    static final String MACOS_METADATA = "__MACOSX";

    private EntryNames() {}

    /** Why a folder of this name is left out (with all it holds), if it is. */
    static Optional<IgnoreReason> folderIgnored(String name) {
        if (name.startsWith(".")) {
            return Optional.of(IgnoreReason.HIDDEN);
        }
        if (name.equals(MACOS_METADATA)) {
            return Optional.of(IgnoreReason.MACOS_METADATA);
        }
        return Optional.empty();
    }

    /** Why a file of this name is left out, if it is. */
    static Optional<IgnoreReason> fileIgnored(String name) {
        if (name.startsWith(".")) {
            return Optional.of(IgnoreReason.HIDDEN);
        }
        if (ImageFormat.ofFileName(name).isEmpty()) {
            return Optional.of(IgnoreReason.NOT_AN_IMAGE_FILE_NAME);
        }
        return Optional.empty();
    }

    /** Why an entry at this path is left out: any of its folders, or its own name. */
    static Optional<IgnoreReason> pathIgnored(String[] parts, boolean isFolder) {
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            Optional<IgnoreReason> reason = last && !isFolder ? fileIgnored(parts[i]) : folderIgnored(parts[i]);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
