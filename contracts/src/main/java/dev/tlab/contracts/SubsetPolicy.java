package dev.tlab.contracts;

import java.util.Set;

/**
 * How the balanced training subset is drawn. {@code first-per-class} is the notebook's: the first
 * {@code samplesPerClass} images of each class in dataset order. {@code stratified-random} draws the same number per
 * class at random with {@code seed}.
 */
public record SubsetPolicy(String name, Integer samplesPerClass, Long seed) {
    public static final String FIRST_PER_CLASS = "first-per-class";
    public static final String STRATIFIED_RANDOM = "stratified-random";
    public static final Set<String> KNOWN = Set.of(FIRST_PER_CLASS, STRATIFIED_RANDOM);
    public static final int NOTEBOOK_SAMPLES_PER_CLASS = 300;

    public SubsetPolicy {
        name = Fields.orDefault(name, FIRST_PER_CLASS);
        if (!KNOWN.contains(name)) {
            throw new InvalidFieldException(
                    "subset.name", "unknown subset policy " + Fields.quote(name) + ", expected one of " + KNOWN);
        }
        samplesPerClass = Fields.orDefault(samplesPerClass, NOTEBOOK_SAMPLES_PER_CLASS);
        if (samplesPerClass < 1) {
            throw new InvalidFieldException("subset.samplesPerClass", "must be at least 1, was " + samplesPerClass);
        }
        seed = Fields.orDefault(seed, 0L);
    }

    public static SubsetPolicy notebook() {
        return new SubsetPolicy(FIRST_PER_CLASS, NOTEBOOK_SAMPLES_PER_CLASS, 0L);
    }
}
