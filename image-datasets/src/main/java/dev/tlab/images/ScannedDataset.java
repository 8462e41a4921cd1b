package dev.tlab.images;

import java.util.List;

/**
 * Everything one read of a source found, before layout and splits: the images that decoded (sorted by path), the
 * rejects and the ignored entries, the folders seen (an empty class folder is only visible here), and the totals.
 * {@code archiveSha256} is the archive file's digest (null for a folder).
 */
public record ScannedDataset(
        DatasetLocation location,
        String archiveSha256,
        List<ScannedFile> images,
        List<Reject> rejects,
        List<String> folders,
        List<IgnoredFiles> ignored,
        long bytesRead,
        long pixels) {}
