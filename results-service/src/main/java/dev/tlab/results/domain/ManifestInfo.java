package dev.tlab.results.domain;

import dev.tlab.contracts.SubsetPolicy;

/**
 * What the results need from a dataset manifest: the dataset's name, whether it is synthetic, and for the record of how
 * a result was made the subset policy, the source's fingerprint and the digests of the exact training and test records
 * (null from older writers).
 */
public record ManifestInfo(
        String manifestId,
        String dataset,
        boolean synthetic,
        SubsetPolicy subset,
        String sourceFingerprint,
        String subsetDigest,
        String testDigest) {

    public ManifestInfo(String manifestId, String dataset, boolean synthetic) {
        this(manifestId, dataset, synthetic, null, null, null, null);
    }
}
