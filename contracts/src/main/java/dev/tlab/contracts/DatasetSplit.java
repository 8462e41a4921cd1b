package dev.tlab.contracts;

/**
 * How a dataset of the user's own images is split where it has no split folders ({@code dataset.split}): the fraction
 * of each class's images kept for validation and for test, drawn with {@code seed}. A dataset with {@code val/} or
 * {@code test/} folders uses them instead of the fraction for that split. Defaults: val 0.1, test 0.2, seed 0.
 */
public record DatasetSplit(Double val, Double test, Long seed) {
    public static final double DEFAULT_VAL = 0.1;
    public static final double DEFAULT_TEST = 0.2;

    public DatasetSplit {
        val = Fields.inHalfOpenUnit(Fields.orDefault(val, DEFAULT_VAL), "dataset.split.val");
        test = Fields.inHalfOpenUnit(Fields.orDefault(test, DEFAULT_TEST), "dataset.split.test");
        if (val + test >= 1) {
            throw new InvalidFieldException(
                    "dataset.split", "val + test must leave images to train on (below 1), was " + (val + test));
        }
        seed = Fields.orDefault(seed, 0L);
    }

    public static DatasetSplit defaults() {
        return new DatasetSplit(null, null, null);
    }
}
