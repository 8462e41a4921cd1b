package dev.tlab.contracts.api;

import dev.tlab.contracts.ImageManifest;
import java.util.List;

/**
 * An archive of the user's images stored by the dataset service ({@code POST /datasets}, {@code GET /datasets/{id}}):
 * its id (the archive's sha256: the same bytes are one dataset) and what a scan found in it, before any split. An
 * experiment names it by {@code dataset.source.upload}.
 *
 * @param created whether this upload stored the archive (false: the same bytes were there already)
 * @param kind {@code zip}, {@code tar} or {@code tar.gz}
 * @param layout {@code class-folders} or {@code split-folders}
 * @param classes the class map, in code-point order
 * @param splits the images per class of each split folder ({@code train} alone for the class-folders layout)
 * @param rejects the first {@link ImageManifest#LISTED} of {@code rejectCount} image files that cannot be used
 */
public record UploadedDataset(
        String id,
        long bytes,
        String kind,
        boolean created,
        String layout,
        List<String> classes,
        List<SplitCounts> splits,
        int images,
        int rejectCount,
        List<ImageManifest.RejectedFile> rejects,
        List<ImageManifest.IgnoredFiles> ignored) {

    /** A split folder's images per class, in class-map order. */
    public record SplitCounts(String name, List<Integer> perClass) {}
}
