package dev.tlab.contracts;

import java.util.List;

/**
 * What a manifest of the user's own images says beyond a CIFAR-10 manifest ({@link DatasetManifest#images()}): where
 * the images came from, how they were laid out and split, what was left out and why, and where trainers fetch them. The
 * file lists themselves are too long for a message: they are in the index ({@code index.url}, checked against
 * {@code index.sha256}), each image fetched by its sha256 under {@code imagesUrl}.
 *
 * @param layout {@code class-folders} ({@code root/<class>/<image>}) or {@code split-folders}
 *     ({@code root/{train,val,test}/<class>/<image>})
 * @param root the folder inside the source that holds the layout ({@code ""} for the source itself)
 * @param split the fractions and seed of the request (used where the dataset has no such split folder)
 * @param splits train, val and test in that order: how each was made, its images per class and its digest
 * @param subset the training images chosen from the train split
 * @param rejectCount image files that could not be used; {@code rejects} lists the first {@link #LISTED} by path (the
 *     index has them all)
 * @param leakCount images whose bytes are in two splits; {@code leakage} lists the first {@link #LISTED}
 * @param fingerprint sha256 of the class map and the split digests: the same data split the same way has the same one
 * @param imagesUrl an image's bytes are at {@code <imagesUrl>/<sha256>}
 */
public record ImageManifest(
        Source source,
        String layout,
        String root,
        DatasetSplit split,
        List<SplitSummary> splits,
        Subset subset,
        String rejectPolicy,
        int rejectCount,
        List<RejectedFile> rejects,
        List<IgnoredFiles> ignored,
        int leakCount,
        List<Leak> leakage,
        Notes notes,
        Totals totals,
        String fingerprint,
        Index index,
        String imagesUrl) {

    /** Rejects and leaks a manifest lists at most, so that it stays far below the message limit. */
    public static final int LISTED = 50;

    public ImageManifest {
        Fields.required(source, "images.source");
        Fields.requiredText(layout, "images.layout");
        Fields.required(root, "images.root");
        Fields.required(split, "images.split");
        splits = List.copyOf(Fields.required(splits, "images.splits"));
        Fields.required(subset, "images.subset");
        Fields.requiredText(rejectPolicy, "images.rejectPolicy");
        rejects = List.copyOf(Fields.required(rejects, "images.rejects"));
        ignored = List.copyOf(Fields.required(ignored, "images.ignored"));
        leakage = List.copyOf(Fields.required(leakage, "images.leakage"));
        if (rejectCount < rejects.size() || leakCount < leakage.size()) {
            throw new InvalidFieldException("images", "a count is smaller than the list it counts");
        }
        Fields.required(notes, "images.notes");
        Fields.required(totals, "images.totals");
        Fields.sha256(Fields.requiredText(fingerprint, "images.fingerprint"), "images.fingerprint");
        Fields.required(index, "images.index");
        Fields.requiredText(imagesUrl, "images.imagesUrl");
    }

    /**
     * @param kind {@code folder}, {@code zip}, {@code tar} or {@code tar.gz}
     * @param location the request's source as given: its location, URL, or {@code upload:<id>}
     * @param archiveSha256 the archive file's sha256 (null for a folder)
     */
    public record Source(String kind, String location, String archiveSha256) {}

    /**
     * @param name {@code train}, {@code val} or {@code test}
     * @param origin {@code folder} (the dataset's own split folder), {@code seeded} (drawn per class with the request's
     *     fraction and seed) or {@code none} (no validation split was asked for)
     * @param digest sha256 of one line {@code <class>\t<sha256>\t<path>\n} per image in the split's order (UTF-8)
     */
    public record SplitSummary(String name, String origin, int images, List<Integer> perClass, String digest) {
        public SplitSummary {
            perClass = List.copyOf(perClass);
        }
    }

    /**
     * @param rule {@code all}, {@code first-per-class} or {@code stratified-random}
     * @param samplesPerClass null for {@code all}
     * @param digest as a split's, over the chosen images
     */
    public record Subset(
            String rule, Integer samplesPerClass, long seed, int images, List<Integer> perClass, String digest) {
        public Subset {
            perClass = List.copyOf(perClass);
        }
    }

    /** An image file left out: its path in the source, why ({@code truncated}, {@code too-many-pixels}...), details. */
    public record RejectedFile(String path, String reason, String detail) {}

    /** Files or folders left out for one reason ({@code hidden}, {@code not-an-image-file-name}...), a few by name. */
    public record IgnoredFiles(String reason, int count, List<String> examples) {
        public IgnoredFiles {
            examples = List.copyOf(examples);
        }
    }

    /** The same bytes (sha256) in two splits: the second split's score would be inflated by it. */
    public record Leak(String sha256, String firstSplit, String firstPath, String secondSplit, String secondPath) {}

    /**
     * @param exifRotated images with an EXIF orientation other than 1: trained as stored, as torchvision does
     * @param lossyWebp lossy WebP images: decoded close to, not exactly as, PIL (a mean of about 4 grey levels apart)
     */
    public record Notes(int exifRotated, int lossyWebp) {}

    /** Images used, bytes read from the source, pixels decoded. */
    public record Totals(int images, long bytesRead, long pixels) {}

    /** The index of every image (class map, splits, subset, all rejects and leaks), and its sha256 and size. */
    public record Index(String url, String sha256, long bytes) {
        public Index {
            Fields.requiredText(url, "images.index.url");
            Fields.sha256(Fields.requiredText(sha256, "images.index.sha256"), "images.index.sha256");
        }
    }

    /** The split named {@code train}, {@code val} or {@code test}. */
    public SplitSummary splitNamed(String name) {
        return splits.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidFieldException("images.splits", "has no split " + name));
    }
}
