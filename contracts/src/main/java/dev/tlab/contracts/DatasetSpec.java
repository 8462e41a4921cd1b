package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;

/**
 * Which dataset an experiment uses. {@code cifar10} is the official binary distribution; {@code synthetic} is the
 * seeded generator for offline demos and tests (every output derived from it says so); {@code images} is the user's own
 * labelled images, from {@code source} (see {@link DatasetSource}), in the {@code root/<class>/<image>} or
 * {@code root/{train,val|validation,test}/<class>/<image>} layout.
 *
 * @param name {@code cifar10}, {@code synthetic} or {@code images}
 * @param location optional folder, archive or URL overriding the dataset service's configured CIFAR-10 source
 * @param source where the images come from (only, and required, for {@code images})
 * @param split the split of a folder without split folders (only for {@code images}; default val 0.1, test 0.2, seed 0)
 * @param rejects what an image that cannot be used does (only for {@code images}): {@code skip} (the default: it is
 *     listed with its reason and left out) or {@code fail} (the dataset is refused, naming it)
 */
public record DatasetSpec(
        String name,
        String location,
        @JsonInclude(JsonInclude.Include.NON_NULL) DatasetSource source,
        @JsonInclude(JsonInclude.Include.NON_NULL) DatasetSplit split,
        @JsonInclude(JsonInclude.Include.NON_NULL) String rejects) {
    public static final String CIFAR10 = "cifar10";
    public static final String SYNTHETIC = "synthetic";
    public static final String IMAGES = "images";
    public static final Set<String> KNOWN = Set.of(CIFAR10, SYNTHETIC, IMAGES);
    public static final String SKIP = "skip";
    public static final String FAIL = "fail";

    public DatasetSpec {
        name = Fields.orDefault(name, CIFAR10);
        if (!KNOWN.contains(name)) {
            throw new InvalidFieldException(
                    "dataset.name", "unknown dataset " + Fields.quote(name) + ", expected one of " + KNOWN);
        }
        Fields.maxLength(location, ModelSpec.MAX_URI_LENGTH, "dataset.location");
        if (IMAGES.equals(name)) {
            if (location != null) {
                throw new InvalidFieldException(
                        "dataset.location", "is for CIFAR-10; a dataset of images names its folder in dataset.source");
            }
            Fields.required(source, "dataset.source");
            split = Fields.orDefault(split, DatasetSplit.defaults());
            rejects = Fields.orDefault(rejects, SKIP);
            if (!rejects.equals(SKIP) && !rejects.equals(FAIL)) {
                throw new InvalidFieldException(
                        "dataset.rejects", "must be 'skip' or 'fail', was " + Fields.quote(rejects));
            }
        } else {
            onlyForImages(source, "dataset.source", name);
            onlyForImages(split, "dataset.split", name);
            onlyForImages(rejects, "dataset.rejects", name);
        }
    }

    private static void onlyForImages(Object value, String field, String name) {
        if (value != null) {
            throw new InvalidFieldException(field, "is only for dataset images, not for " + Fields.quote(name));
        }
    }

    public DatasetSpec(String name, String location) {
        this(name, location, null, null, null);
    }

    public static DatasetSpec of(String name) {
        return new DatasetSpec(name, null);
    }

    /** The user's own images from {@code source}, split and rejected by the defaults. */
    public static DatasetSpec images(DatasetSource source) {
        return new DatasetSpec(IMAGES, null, source, null, null);
    }

    public boolean synthetic() {
        return SYNTHETIC.equals(name);
    }

    public boolean images() {
        return IMAGES.equals(name);
    }

    /** Whether an image that cannot be used refuses the dataset ({@code rejects: fail}). */
    public boolean failOnRejects() {
        return FAIL.equals(rejects);
    }
}
