package dev.tlab.results.domain;

import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of a dataset of the user's own images ({@link Views.DatasetReport}) from its manifest: the split counts,
 * subset, rejects and leaks as the manifest lists them, and its notes and ignored files as sentences, written once here
 * for the page and the CLI.
 */
final class DatasetReports {
    private DatasetReports() {}

    /** Null for a manifest without images (CIFAR-10, synthetic). */
    static Views.DatasetReport of(ImageManifest images) {
        if (images == null) {
            return null;
        }
        return new Views.DatasetReport(
                images.splits(),
                images.subset(),
                images.rejectCount(),
                images.rejects(),
                images.leakCount(),
                images.leakage(),
                notes(images));
    }

    private static List<Views.DatasetNote> notes(ImageManifest images) {
        List<Views.DatasetNote> notes = new ArrayList<>();
        int rotated = images.notes().exifRotated();
        if (rotated > 0) {
            notes.add(new Views.DatasetNote(
                    "exif-rotated",
                    rotated,
                    images(rotated) + " with an EXIF orientation other than 1: trained as stored (not rotated),"
                            + " as torchvision does"));
        }
        int webp = images.notes().lossyWebp();
        if (webp > 0) {
            notes.add(new Views.DatasetNote(
                    "lossy-webp",
                    webp,
                    images(webp) + " in lossy WebP: decoded close to, not exactly as, PIL"
                            + " (a mean of about 4 grey levels apart)"));
        }
        for (ImageManifest.IgnoredFiles ignored : images.ignored()) {
            String examples = ignored.examples().isEmpty() ? "" : ", e.g. " + String.join(", ", ignored.examples());
            notes.add(new Views.DatasetNote(
                    "ignored:" + ignored.reason(),
                    ignored.count(),
                    ignored.count() + (ignored.count() == 1 ? " file" : " files") + " ignored (" + ignored.reason()
                            + ")" + examples));
        }
        return List.copyOf(notes);
    }

    private static String images(int count) {
        return count == 1 ? "1 image" : count + " images";
    }
}
