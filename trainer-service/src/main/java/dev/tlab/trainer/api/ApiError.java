package dev.tlab.trainer.api;

/** The body of every error answer: the field to blame ({@code $} for the whole body) and why. */
public record ApiError(String field, String reason) {
}
