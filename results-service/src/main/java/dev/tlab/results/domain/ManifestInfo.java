package dev.tlab.results.domain;

/** What the results need from a dataset manifest: the dataset's name and whether it is synthetic. */
public record ManifestInfo(String manifestId, String dataset, boolean synthetic) {
}
