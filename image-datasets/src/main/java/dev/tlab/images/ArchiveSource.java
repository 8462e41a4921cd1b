package dev.tlab.images;

import dev.tlab.images.ImageDatasetException.Problem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A zip, tar or tar.gz archive's entries, read with Apache commons-compress 1.28.0 and never extracted to disk.
 *
 * <p>Refused, naming the entry (the archive is suspect, so the whole scan stops): a name that is absolute or contains
 * {@code ..} (zip-slip), a symbolic or hard link, a device or pipe, the same name twice. Zip archives are read through
 * their central directory ({@link ZipFile}), the only place a zip records that an entry is a Unix link; entries are
 * read in the order they lie in the file. Tar archives are read as one stream; what a tar.gz decompresses to is charged
 * to the byte budget below the tar reader, so skipped entries count too and a bomb stops at
 * {@link ScanLimits#maxTotalBytes()}.
 */
final class ArchiveSource {

    private final Path archive;
    private final SourceKind kind;
    private final ScanLimits limits;
    private final ByteBudget budget;
    private final Set<String> seen = new HashSet<>();
    private int files;

    ArchiveSource(Path archive, SourceKind kind, ScanLimits limits, ByteBudget budget) {
        this.archive = archive;
        this.kind = kind;
        this.limits = limits;
        this.budget = budget;
    }

    void read(EntrySink sink) {
        try {
            switch (kind) {
                case ZIP -> readZip(sink);
                case TAR -> readTar(sink, false);
                case TAR_GZ -> readTar(sink, true);
                default -> throw new IllegalArgumentException("not an archive: " + kind);
            }
        } catch (IOException e) {
            throw new ImageDatasetException(
                    Problem.UNREADABLE,
                    archive.getFileName().toString(),
                    "the archive cannot be read ("
                            + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '.') + "): " + e.getMessage(),
                    e);
        }
    }

    private void readZip(EntrySink sink) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                String path = checkedName(entry.getName());
                if (entry.isUnixSymlink()) {
                    throw unsafe(path, "is a symbolic link; archives may hold only files and folders");
                }
                if (entry.isDirectory()) {
                    folder(sink, path);
                    continue;
                }
                if (fileIgnored(sink, path)) {
                    continue;
                }
                if (!zip.canReadEntryData(entry)) {
                    sink.unreadable(
                            path,
                            "encrypted or compressed with a method this reader lacks (method " + entry.getMethod()
                                    + ")");
                } else {
                    try (InputStream in = budget.charge(zip.getInputStream(entry))) {
                        sink.file(path, entry.getSize(), in);
                    }
                }
            }
        }
    }

    private void readTar(EntrySink sink, boolean gzip) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        InputStream decompressed = gzip ? new GzipCompressorInputStream(raw, true) : raw;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(budget.charge(decompressed))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String path = checkedName(entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw unsafe(
                            path,
                            "is a " + (entry.isLink() ? "hard" : "symbolic")
                                    + " link; archives may hold only files and folders");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw unsafe(path, "is a device or pipe; archives may hold only files and folders");
                }
                if (entry.isDirectory()) {
                    folder(sink, path);
                    continue;
                }
                if (!fileIgnored(sink, path)) {
                    // The tar stream ends this entry's content itself; closing it would close the archive.
                    sink.file(path, entry.getSize(), nonClosing(tar));
                }
            }
        }
    }

    private void folder(EntrySink sink, String path) {
        if (path.isEmpty()) {
            return;
        }
        String[] parts = path.split("/");
        var ignored = EntryNames.pathIgnored(parts, true);
        if (ignored.isPresent()) {
            sink.ignored(path, ignored.get());
            return;
        }
        if (parts.length > limits.maxDepth()) {
            throw ImageDatasetException.limit(ScanLimits.Limit.MAX_DEPTH, limits, "'" + path + "' is nested");
        }
        count();
        sink.folder(path);
    }

    /** Entries of every kind count (folders too): each leaves a record behind. */
    private void count() {
        if (++files > limits.maxFiles()) {
            throw ImageDatasetException.limit(ScanLimits.Limit.MAX_FILES, limits, "the archive holds");
        }
    }

    /** Counts a file entry and tells the sink when its name leaves it out; true then. */
    private boolean fileIgnored(EntrySink sink, String path) {
        var ignored = EntryNames.pathIgnored(file(path), false);
        ignored.ifPresent(reason -> sink.ignored(path, reason));
        return ignored.isPresent();
    }

    /** Counts the file, refuses a second entry of the same name and checks its depth. */
    private String[] file(String path) {
        count();
        if (!seen.add(path)) {
            throw unsafe(path, "appears twice in the archive; tools disagree on which copy to use");
        }
        String[] parts = path.split("/");
        if (parts.length - 1 > limits.maxDepth()) {
            throw ImageDatasetException.limit(ScanLimits.Limit.MAX_DEPTH, limits, "'" + path + "' is nested");
        }
        return parts;
    }

    /**
     * The entry's name as a clean relative path: '\' read as a separator (some Windows tools write it), empty and
     * {@code .} parts dropped; absolute names, drive letters and {@code ..} refused.
     */
    static String checkedName(String name) {
        String unified = name.replace('\\', '/');
        if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*") || unified.indexOf('\0') >= 0) {
            throw unsafe(name, "has an absolute name; archive entries must be relative");
        }
        List<String> parts = new ArrayList<>();
        for (String part : unified.split("/")) {
            if (part.equals("..")) {
                throw unsafe(name, "climbs out of the archive with '..' (zip-slip)");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    private static ImageDatasetException unsafe(String path, String what) {
        return new ImageDatasetException(Problem.UNSAFE_ENTRY, path, "archive entry '" + path + "' " + what);
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }
}
