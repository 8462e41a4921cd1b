package dev.tlab.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The balanced training subset, provably (topic {@code dataset-manifests}, compacted, key manifestId). The id is
 * derived from the content, so the same source and policy always give the same manifest.
 *
 * @param sourceFingerprint sha256 over the source's files, in a fixed order
 * @param trainIndices indices into the concatenated training batches, in the order they were chosen
 * @param subsetDigest sha256 of the subset's records (CIFAR binary format) in {@code trainIndices} order
 * @param testDigest sha256 of the test records as served
 * @param trainDataUrl where trainers fetch the subset's records
 * @param testDataUrl where trainers fetch the test records
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
        String testDataUrl)
        implements Event {

    public static final String TYPE = "DatasetManifest";
    public static final int SCHEMA_VERSION = 1;

    public DatasetManifest {
        schemaVersion = Fields.envelope(eventId, type, TYPE, schemaVersion, SCHEMA_VERSION, occurredAt);
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
        Fields.requiredText(trainDataUrl, "trainDataUrl");
        Fields.requiredText(testDataUrl, "testDataUrl");
    }

    public int subsetSize() {
        return trainIndices.size();
    }
}
