package dev.tlab.images;

import dev.tlab.images.ImageDatasetException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.StringJoiner;

/**
 * A dataset folder's entries. Links are followed, as torchvision's {@code ImageFolder} follows them, but every folder
 * and file is checked by its real path: one that leads outside the dataset roots stops the scan, naming it. Link loops
 * stop it too. Devices and pipes are never opened.
 */
final class FolderSource {

    private final Path root;
    private final DatasetRoots roots;
    private final ScanLimits limits;
    private final ByteBudget budget;
    private int files;

    FolderSource(Path root, DatasetRoots roots, ScanLimits limits, ByteBudget budget) {
        this.root = root;
        this.roots = roots;
        this.limits = limits;
        this.budget = budget;
    }

    void read(EntrySink sink) {
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new Visitor(sink));
        } catch (IOException e) {
            throw new ImageDatasetException(
                    Problem.UNREADABLE, root.toString(), "the dataset folder cannot be read: " + e, e);
        }
    }

    private final class Visitor extends SimpleFileVisitor<Path> {
        private final EntrySink sink;

        Visitor(EntrySink sink) {
            this.sink = sink;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
            }
            String path = relative(dir);
            var ignored = EntryNames.folderIgnored(dir.getFileName().toString());
            if (ignored.isPresent()) {
                sink.ignored(path, ignored.get());
                return FileVisitResult.SKIP_SUBTREE;
            }
            count();
            checkInsideRoots(dir, path);
            checkDepth(path, root.relativize(dir).getNameCount());
            sink.folder(path);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String path = relative(file);
            count();
            checkDepth(path, root.relativize(file).getNameCount() - 1);
            var ignored = EntryNames.fileIgnored(file.getFileName().toString());
            if (ignored.isPresent()) {
                sink.ignored(path, ignored.get());
                return FileVisitResult.CONTINUE;
            }
            if (!attrs.isRegularFile()) {
                // A broken link (FOLLOW_LINKS then hands over the link itself), a device or a pipe.
                sink.ignored(path, IgnoreReason.NOT_A_REGULAR_FILE);
                return FileVisitResult.CONTINUE;
            }
            checkInsideRoots(file, path);
            try (InputStream in = budget.charge(Files.newInputStream(file))) {
                sink.file(path, attrs.size(), in);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
                throw new ImageDatasetException(
                        Problem.UNSAFE_ENTRY,
                        relative(file),
                        "'" + relative(file)
                                + "' links back to a folder that contains it (a link loop); remove the link");
            }
            throw new ImageDatasetException(
                    Problem.UNREADABLE, relative(file), "'" + relative(file) + "' cannot be read: " + e, e);
        }
    }

    /** Files and folders both count: each leaves a record behind. */
    private void count() {
        if (++files > limits.maxFiles()) {
            throw ImageDatasetException.limit(ScanLimits.Limit.MAX_FILES, limits, "the dataset folder holds");
        }
    }

    private void checkInsideRoots(Path entry, String path) {
        Path real;
        try {
            real = entry.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!roots.contains(real)) {
            throw new ImageDatasetException(
                    Problem.OUTSIDE_ROOTS,
                    path,
                    "'" + path
                            + "' is a link to a place outside the dataset roots; copy the file into the dataset instead");
        }
    }

    private void checkDepth(String path, int folders) {
        if (folders > limits.maxDepth()) {
            throw ImageDatasetException.limit(ScanLimits.Limit.MAX_DEPTH, limits, "'" + path + "' is nested");
        }
    }

    private String relative(Path entry) {
        StringJoiner joined = new StringJoiner("/");
        for (Path part : root.relativize(entry)) {
            joined.add(part.toString());
        }
        return joined.toString();
    }
}
