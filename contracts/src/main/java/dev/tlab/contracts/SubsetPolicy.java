package dev.tlab.contracts;

import java.util.Set;

/**
 * How the training subset is drawn. {@code first-per-class} is the notebook's: the first {@code samplesPerClass} images
 * of each class in dataset order (for the user's own images: in sorted file-name order). {@code stratified-random}
 * draws the same number per class at random with {@code seed}. {@code all} trains on every training image (only for
 * dataset {@code images}, where it is the default); it takes no {@code samplesPerClass}.
 */
public record SubsetPolicy(String name, Integer samplesPerClass, Long seed) {
    public static final String FIRST_PER_CLASS = "first-per-class";
    public static final String STRATIFIED_RANDOM = "stratified-random";
    public static final String ALL = "all";
    public static final Set<String> KNOWN = Set.of(FIRST_PER_CLASS, STRATIFIED_RANDOM, ALL);
    public static final int NOTEBOOK_SAMPLES_PER_CLASS = 300;

    public SubsetPolicy {
        name = Fields.orDefault(name, FIRST_PER_CLASS);
        if (!KNOWN.contains(name)) {
            throw new InvalidFieldException(
                    "subset.name", "unknown subset policy " + Fields.quote(name) + ", expected one of " + KNOWN);
        }
        if (ALL.equals(name)) {
            if (samplesPerClass != null) {
                throw new InvalidFieldException(
                        "subset.samplesPerClass", "is not used by subset 'all' (every training image); leave it out");
            }
        } else {
            samplesPerClass = Fields.orDefault(samplesPerClass, NOTEBOOK_SAMPLES_PER_CLASS);
            if (samplesPerClass < 1) {
                throw new InvalidFieldException("subset.samplesPerClass", "must be at least 1, was " + samplesPerClass);
            }
        }
        seed = Fields.orDefault(seed, 0L);
    }

    public static SubsetPolicy notebook() {
        return new SubsetPolicy(FIRST_PER_CLASS, NOTEBOOK_SAMPLES_PER_CLASS, 0L);
    }

    /** Every training image: the default for a dataset of the user's own images. */
    public static SubsetPolicy all() {
        return new SubsetPolicy(ALL, null, 0L);
    }

    public boolean everyImage() {
        return ALL.equals(name);
    }
}
