package dev.tlab.results.domain;

import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.Views;
import java.util.List;

/**
 * What the results need from a dataset manifest: the dataset's name, whether it is synthetic, and for the record of how
 * a result was made the subset policy, the source's fingerprint and the digests of the exact training and test records
 * (null from older writers); the class map of a dataset of the user's own images and what its manifest says about the
 * data (both null for CIFAR-10 and synthetic).
 */
public record ManifestInfo(
        String manifestId,
        String dataset,
        boolean synthetic,
        SubsetPolicy subset,
        String sourceFingerprint,
        String subsetDigest,
        String testDigest,
        List<String> classNames,
        Views.DatasetReport datasetReport) {

    public ManifestInfo(String manifestId, String dataset, boolean synthetic) {
        this(manifestId, dataset, synthetic, null, null, null, null, null, null);
    }
}
