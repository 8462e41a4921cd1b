package dev.tlab.images;

import java.nio.file.Path;

/** A dataset location as the request named it, the real path it resolved to under a root, and what it holds. */
public record DatasetLocation(String given, Path path, SourceKind kind) {}
