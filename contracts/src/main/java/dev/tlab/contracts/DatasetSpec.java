package dev.tlab.contracts;

import java.util.Set;

/**
 * Which dataset an experiment uses. {@code cifar10} is the official binary distribution; {@code synthetic} is the
 * seeded generator for offline demos and tests (every output derived from it says so).
 *
 * @param name {@code cifar10} or {@code synthetic}
 * @param location optional folder, archive or URL overriding the dataset service's configured source
 */
public record DatasetSpec(String name, String location) {
    public static final String CIFAR10 = "cifar10";
    public static final String SYNTHETIC = "synthetic";
    public static final Set<String> KNOWN = Set.of(CIFAR10, SYNTHETIC);

    public DatasetSpec {
        name = Fields.orDefault(name, CIFAR10);
        if (!KNOWN.contains(name)) {
            throw new InvalidFieldException(
                    "dataset.name", "unknown dataset " + Fields.quote(name) + ", expected one of " + KNOWN);
        }
        Fields.maxLength(location, ModelSpec.MAX_URI_LENGTH, "dataset.location");
    }

    public static DatasetSpec of(String name) {
        return new DatasetSpec(name, null);
    }

    public boolean synthetic() {
        return SYNTHETIC.equals(name);
    }
}
