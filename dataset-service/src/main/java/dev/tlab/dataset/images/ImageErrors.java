package dev.tlab.dataset.images;

import dev.tlab.contracts.api.ApiException;
import dev.tlab.images.ImageDatasetException;

/**
 * Why a dataset of images cannot be used, as the answer to the request that named it: a 4xx naming the request field
 * (or, for a limit, the field and the configuration key that sets it), and a 503 only where the storage itself could
 * not be read. The same answer reaches a request from the topic as its ExperimentFailed.
 */
public final class ImageErrors {
    static final String KEY_PREFIX = "tlab.dataset.images.";

    private ImageErrors() {}

    /**
     * @param sourceField the request field of the source ({@code dataset.source.location}, {@code .url},
     *     {@code .upload}; or {@code body} for an upload)
     */
    public static ApiException of(ImageDatasetException e, String sourceField) {
        String reason = e.getMessage();
        return switch (e.problem()) {
            case NOT_FOUND, OUTSIDE_ROOTS -> new ApiException(400, sourceField, reason);
            case LIMIT_EXCEEDED ->
                new ApiException(
                        413,
                        sourceField,
                        reason + " (the limit is " + KEY_PREFIX + e.subject() + " of the dataset service)");
            case REJECTED_IMAGES -> new ApiException(400, "dataset.rejects", reason);
            case TOO_FEW_IMAGES ->
                // the planner says "needs N per class" for the subset, "too few to keep" for the split
                new ApiException(400, reason.contains(" needs ") ? "subset.samplesPerClass" : "dataset.split", reason);
            case INVALID_REQUEST ->
                new ApiException(400, e.subject().startsWith("split") ? "dataset." + e.subject() : e.subject(), reason);
            case UNREADABLE -> new ApiException(503, sourceField, reason);
            case UNSUPPORTED_SOURCE,
                    UNSAFE_ENTRY,
                    LAYOUT,
                    TOO_FEW_CLASSES,
                    EMPTY_CLASS,
                    CLASS_MISSING_IN_SPLIT,
                    SAME_IMAGE_IN_TWO_CLASSES -> new ApiException(400, sourceField, reason);
        };
    }
}
