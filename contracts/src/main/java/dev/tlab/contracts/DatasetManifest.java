package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The balanced training subset, provably (topic {@code dataset-manifests}, compacted, key manifestId). The id is
 * derived from the content, so the same source and policy always give the same manifest.
 *
 * <p>Schema version 1 is CIFAR-10 and synthetic: the subset as record indices, the data at {@code trainDataUrl} and
 * {@code testDataUrl}. Version 2 adds {@code images}, a dataset of the user's own images: {@code classNames} is its
 * class map (label i is name i, names in code-point order), {@code perClassCounts} the training subset per class,
 * {@code trainIndices} is empty and the data URLs are null (the file lists are in the index that {@code images} names).
 *
 * @param sourceFingerprint sha256 over the source's files, in a fixed order
 * @param trainIndices indices into the concatenated training batches, in the order they were chosen
 * @param subsetDigest sha256 of the subset's records (CIFAR binary format) in {@code trainIndices} order; for images,
 *     of the subset's lines (see {@link ImageManifest.SplitSummary#digest()})
 * @param testDigest sha256 of the test records as served; for images, of the test split's lines
 * @param trainDataUrl where trainers fetch the subset's records (null for images)
 * @param testDataUrl where trainers fetch the test records (null for images)
 * @param images the user's own images (version 2 only)
 */
public record DatasetManifest(
        UUID eventId,
        String type,
        Integer schemaVersion,
        Instant occurredAt,
        String manifestId,
        String dataset,
        Boolean synthetic,
        String sourceFingerprint,
        List<String> classNames,
        List<Integer> perClassCounts,
        SubsetPolicy policy,
        List<Integer> trainIndices,
        String subsetDigest,
        Integer testCount,
        String testDigest,
        String trainDataUrl,
        String testDataUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) ImageManifest images)
        implements Event {

    public static final String TYPE = "DatasetManifest";
    /** CIFAR-10 and synthetic manifests. */
    public static final int SCHEMA_VERSION = 1;
    /** Manifests of the user's own images; a reader of version 1 refuses them rather than misreading them. */
    public static final int IMAGES_SCHEMA_VERSION = 2;

    public DatasetManifest {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, IMAGES_SCHEMA_VERSION, occurredAt);
        if ((images != null) != (schemaVersion == IMAGES_SCHEMA_VERSION)) {
            throw new InvalidFieldException(
                    "images", "is required in version " + IMAGES_SCHEMA_VERSION + " and only there");
        }
        Fields.requiredText(manifestId, "manifestId");
        Fields.requiredText(dataset, "dataset");
        Fields.required(synthetic, "synthetic");
        Fields.requiredText(sourceFingerprint, "sourceFingerprint");
        classNames = List.copyOf(Fields.required(classNames, "classNames"));
        perClassCounts = List.copyOf(Fields.required(perClassCounts, "perClassCounts"));
        if (perClassCounts.size() != classNames.size()) {
            throw new InvalidFieldException("perClassCounts", "must have one count per class name");
        }
        Fields.required(policy, "policy");
        trainIndices = List.copyOf(Fields.required(trainIndices, "trainIndices"));
        Fields.requiredText(subsetDigest, "subsetDigest");
        Fields.required(testCount, "testCount");
        Fields.requiredText(testDigest, "testDigest");
        if (images == null) {
            Fields.requiredText(trainDataUrl, "trainDataUrl");
            Fields.requiredText(testDataUrl, "testDataUrl");
        }
    }

    /** A CIFAR-10 or synthetic manifest (version 1). */
    public DatasetManifest(
            UUID eventId,
            String type,
            Integer schemaVersion,
            Instant occurredAt,
            String manifestId,
            String dataset,
            Boolean synthetic,
            String sourceFingerprint,
            List<String> classNames,
            List<Integer> perClassCounts,
            SubsetPolicy policy,
            List<Integer> trainIndices,
            String subsetDigest,
            Integer testCount,
            String testDigest,
            String trainDataUrl,
            String testDataUrl) {
        this(
                eventId,
                type,
                schemaVersion,
                occurredAt,
                manifestId,
                dataset,
                synthetic,
                sourceFingerprint,
                classNames,
                perClassCounts,
                policy,
                trainIndices,
                subsetDigest,
                testCount,
                testDigest,
                trainDataUrl,
                testDataUrl,
                null);
    }

    /** Images in the training subset. */
    public int subsetSize() {
        return images != null ? images.subset().images() : trainIndices.size();
    }

    /** Whether this is a dataset of the user's own images (version 2). */
    public boolean ofImages() {
        return images != null;
    }
}
