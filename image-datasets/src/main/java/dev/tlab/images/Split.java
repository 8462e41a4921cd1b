package dev.tlab.images;

import java.util.Locale;
import java.util.Optional;

/** The three splits and the folder names that mean them (case-insensitive), as Keras and Hugging Face name them. */
public enum Split {
    TRAIN("train"),
    VAL("val"),
    TEST("test");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    /** The split's name in descriptions: {@code train}, {@code val}, {@code test}. */
    public String label() {
        return label;
    }

    /** The split a top-level folder name means: {@code train}, {@code val} or {@code validation}, {@code test}. */
    public static Optional<Split> ofFolder(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "train" -> Optional.of(TRAIN);
            case "val", "validation" -> Optional.of(VAL);
            case "test" -> Optional.of(TEST);
            default -> Optional.empty();
        };
    }
}
