package dev.tlab.images;

import java.util.List;

/**
 * A validated, split, N-class image dataset, as the manifest will carry it: where it came from, the class map (label i
 * is {@code classes.get(i)}), each split's files with their digests, the training subset, and what was not used or
 * looks wrong (rejects, ignored files, leakage, notes).
 *
 * @param fingerprint sha256 of the class map and the split digests: the same data split the same way has the same one
 */
public record DatasetDescription(
        Source source,
        String layout,
        String root,
        List<String> classes,
        List<SplitFiles> splits,
        Subset subset,
        List<Reject> rejects,
        List<IgnoredFiles> ignored,
        List<Leak> leakage,
        Notes notes,
        Totals totals,
        String fingerprint) {

    /** The location as given, its kind, and for an archive the sha256 of the archive file. */
    public record Source(String location, SourceKind kind, String archiveSha256) {}

    /**
     * One image: its path in the source, its label (index in the class map), the sha256 of its bytes, size and pixels.
     */
    public record ImageFile(String path, int label, String sha256, long bytes, int width, int height) {}

    /**
     * A split's images in order (by label, then torchvision's order within the class), how it was made ({@code folder},
     * or {@code seeded} from the request's fractions and seed), images per class, and its digest: sha256 of one line
     * {@code <class>\t<sha256>\t<path>\n} per image, in order (UTF-8).
     */
    public record SplitFiles(
            String name, String origin, List<ImageFile> files, List<Integer> perClass, String digest) {}

    /** The training images chosen from the train split, with the rule, count and seed, and their digest. */
    public record Subset(
            String rule,
            int samplesPerClass,
            long seed,
            List<ImageFile> files,
            List<Integer> perClass,
            String digest) {}

    /** The same bytes in two splits of the same class (by digest): the test score would be inflated. */
    public record Leak(String sha256, String firstSplit, String firstPath, String secondSplit, String secondPath) {}

    /**
     * Things to know that do not stop the dataset: images whose EXIF orientation is not 1 (trained as stored, as
     * torchvision does), and lossy WebP images (decoded close to, not exactly as, PIL).
     */
    public record Notes(int exifRotated, int lossyWebp) {}

    /** Files and bytes read, images used, pixels decoded. */
    public record Totals(int images, long bytesRead, long pixels) {}

    public SplitFiles split(Split split) {
        return splits.stream()
                .filter(s -> s.name().equals(split.label()))
                .findFirst()
                .orElseThrow();
    }
}
