package dev.tlab.images;

/** What a rejected image does to the dataset: {@code skip} lists it and goes on, {@code fail} refuses the dataset. */
public enum RejectPolicy {
    SKIP,
    FAIL
}
