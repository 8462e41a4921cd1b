package dev.tlab.dataset.images;

import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.contracts.api.UploadedDataset;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.DatasetLayout;
import dev.tlab.images.ImageDatasetException;
import dev.tlab.images.ScannedDataset;
import dev.tlab.images.ScannedFile;
import dev.tlab.images.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The archives users upload ({@code POST /datasets}): kept in the {@link ImageStore} under their sha256, scanned at
 * once (so that an archive that is no dataset is refused while its uploader waits, and the experiments that name it
 * find it scanned) and summarised.
 */
public final class UploadedDatasets {

    private final ImageStore store;
    private final ImageSources sources;
    private final ArchiveDownloads archives;

    public UploadedDatasets(ImageStore store, ImageSources sources, ArchiveDownloads archives) {
        this.store = store;
        this.sources = sources;
        this.archives = archives;
    }

    /**
     * Keeps an archive that arrived (in {@link ImageStore#incoming()}) under its sha256 and summarises it.
     *
     * @throws ApiException 400 naming {@code sha256} when the bytes are not the ones announced, {@code body} when they
     *     are no zip, tar or tar.gz or no dataset (the archive is then not kept); 413 over a limit
     */
    public UploadedDataset store(Path arrived, String expectedSha256) {
        String actual = Checksums.sha256Hex(arrived);
        if (!actual.equals(expectedSha256)) {
            throw new ApiException(
                    400,
                    "sha256",
                    "the uploaded bytes have sha256 " + actual + ", not " + expectedSha256
                            + " as announced; nothing was kept (was the upload cut short?)");
        }
        boolean created = store.archive(actual).isEmpty();
        Path archive = created
                ? archives.keep(arrived, actual, "body", "the upload")
                : store.archive(actual).get();
        return summary(
                actual, archive, created ? sources.scanNewUpload(actual, archive) : sources.uploaded(actual), created);
    }

    /** The summary of a stored upload, or 404. */
    public UploadedDataset find(String id) {
        if (id == null || !id.matches("[0-9a-f]{64}")) {
            throw new ApiException(404, "id", "dataset ids are the archive's sha256 (64 lower-case hex digits)");
        }
        Path archive = store.archive(id)
                .orElseThrow(() -> new ApiException(404, "id", "no uploaded dataset " + id + " on this service"));
        return summary(id, archive, sources.uploaded(id), false);
    }

    private static UploadedDataset summary(String id, Path archive, ScannedDataset scan, boolean created) {
        DatasetLayout layout;
        try {
            layout = DatasetLayout.of(scan);
        } catch (ImageDatasetException e) {
            throw ImageErrors.of(e, "body");
        }
        List<String> classes = layout.classes();
        List<UploadedDataset.SplitCounts> splits = new ArrayList<>();
        for (Split split : Split.values()) {
            Map<String, List<ScannedFile>> byClass = layout.files().get(split);
            if (byClass != null) {
                splits.add(new UploadedDataset.SplitCounts(
                        split.label(),
                        classes.stream()
                                .map(c -> byClass.getOrDefault(c, List.of()).size())
                                .toList()));
            }
        }
        var rejects = scan.rejects();
        return new UploadedDataset(
                id,
                archive.toFile().length(),
                ImageStore.label(scan.location().kind()),
                created,
                layout.kind().label(),
                classes,
                splits,
                scan.images().size(),
                rejects.size(),
                ImageManifests.rejects(rejects.subList(0, Math.min(rejects.size(), ImageManifest.LISTED))),
                ImageManifests.ignored(scan.ignored()));
    }
}
