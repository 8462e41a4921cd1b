package dev.tlab.images;

/**
 * What an experiment asks of a dataset: the fractions of each class carved into val and test where the dataset has no
 * such folder (with the seed of that split), and the training subset (rule, images per class, seed; the count is
 * ignored by {@link SubsetRule#ALL}).
 */
public record DatasetRequest(
        double valFraction,
        double testFraction,
        long splitSeed,
        SubsetRule subset,
        int samplesPerClass,
        long subsetSeed) {

    /** val 0.1, test 0.2, split seed 0, every training image. */
    public static DatasetRequest allImages() {
        return new DatasetRequest(0.1, 0.2, 0, SubsetRule.ALL, 0, 0);
    }
}
