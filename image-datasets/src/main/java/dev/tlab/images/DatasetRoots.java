package dev.tlab.images;

import dev.tlab.images.ImageDatasetException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders an operator allows datasets to be read from. A location is resolved to its real path (every link
 * followed) and accepted only inside one of them; {@code ..} is refused outright, even where it would stay inside.
 */
public final class DatasetRoots {

    private final List<Path> roots;

    /** @param roots existing folders; each is kept as its real path */
    public DatasetRoots(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one dataset root is needed");
        }
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException("dataset root " + root + " cannot be read", e);
            }
        }
        this.roots = List.copyOf(real);
    }

    public List<Path> roots() {
        return roots;
    }

    /** Whether a real (link-free) path lies inside a root. */
    public boolean contains(Path realPath) {
        for (Path root : roots) {
            if (realPath.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An absolute location, or one relative to the roots (tried in order), as a folder or an archive inside them.
     *
     * @throws ImageDatasetException naming the location: not found, outside the roots, or neither a folder nor an
     *     archive
     */
    public DatasetLocation resolve(String location) {
        if (location == null || location.isBlank()) {
            throw new ImageDatasetException(Problem.NOT_FOUND, "", "no dataset location was given");
        }
        Path requested;
        try {
            requested = Path.of(location);
        } catch (InvalidPathException e) {
            throw new ImageDatasetException(
                    Problem.UNSUPPORTED_SOURCE, location, "'" + location + "' is not a valid path: " + e.getReason());
        }
        for (Path part : requested) {
            if (part.toString().equals("..")) {
                throw new ImageDatasetException(
                        Problem.OUTSIDE_ROOTS,
                        location,
                        "'" + location + "' contains '..'; name the dataset by its own path");
            }
        }
        Path candidate = requested.isAbsolute() ? requested : firstExisting(requested);
        if (!Files.exists(candidate)) {
            throw new ImageDatasetException(
                    Problem.NOT_FOUND,
                    location,
                    "no folder or archive at '" + location + "' under the dataset roots " + roots
                            + "; put the dataset there or name it by its path");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw new ImageDatasetException(Problem.NOT_FOUND, location, "'" + location + "' cannot be read: " + e, e);
        }
        if (!contains(real)) {
            throw new ImageDatasetException(
                    Problem.OUTSIDE_ROOTS,
                    location,
                    "'" + location + "' is outside the dataset roots " + roots
                            + " (links are followed before checking)");
        }
        if (Files.isDirectory(real)) {
            return new DatasetLocation(location, real, SourceKind.FOLDER);
        }
        SourceKind kind = SourceKind.archiveOf(candidate.getFileName().toString())
                .filter(k -> Files.isRegularFile(real))
                .orElseThrow(() -> new ImageDatasetException(
                        Problem.UNSUPPORTED_SOURCE,
                        location,
                        "'" + location + "' is neither a folder nor a .zip, .tar, .tar.gz or .tgz archive"));
        return new DatasetLocation(location, real, kind);
    }

    private Path firstExisting(Path relative) {
        for (Path root : roots) {
            Path candidate = root.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return roots.get(0).resolve(relative);
    }
}
