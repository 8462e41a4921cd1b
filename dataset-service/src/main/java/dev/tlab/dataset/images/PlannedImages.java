package dev.tlab.dataset.images;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.dataset.source.ResolvedDataset;
import dev.tlab.images.DatasetDescription;

/**
 * A request's dataset of images, scanned and split for it: the request's dataset and subset, the description (class
 * map, splits, subset, rejects, leakage) and the fingerprint of the source's content.
 *
 * @param sourceFingerprint the archive's sha256, or for a folder the sha256 of its images' paths and digests
 */
public record PlannedImages(
        DatasetSpec spec, SubsetPolicy subset, DatasetDescription description, String sourceFingerprint)
        implements ResolvedDataset {

    @Override
    public Integer numClasses() {
        return description.classes().size();
    }
}
