package dev.tlab.images;

import java.util.Optional;

/**
 * How the training images are chosen from the training split, by the names the experiment request uses. The first two
 * are the CIFAR-10 subset policies applied to a folder: {@code first-per-class} takes each class's first images in
 * {@link ImageOrder} (sorted file names), {@code stratified-random} draws them with the request's seed; {@code all}
 * takes every training image.
 */
public enum SubsetRule {
    FIRST_PER_CLASS("first-per-class"),
    STRATIFIED_RANDOM("stratified-random"),
    ALL("all");

    private final String label;

    SubsetRule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<SubsetRule> ofLabel(String label) {
        for (SubsetRule rule : values()) {
            if (rule.label.equals(label)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
