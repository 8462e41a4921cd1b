package dev.tlab.images;

import java.util.Locale;
import java.util.Optional;

/** What a dataset location holds. */
public enum SourceKind {
    FOLDER,
    ZIP,
    TAR,
    TAR_GZ;

    /** The archive kind a file name announces ({@code .zip}, {@code .tar}, {@code .tar.gz} or {@code .tgz}). */
    public static Optional<SourceKind> archiveOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return Optional.of(ZIP);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return Optional.of(TAR_GZ);
        }
        if (name.endsWith(".tar")) {
            return Optional.of(TAR);
        }
        return Optional.empty();
    }
}
