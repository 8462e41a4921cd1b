package dev.tlab.cli.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Packs a folder as an uncompressed tar whose bytes depend only on the folder's relative paths and file contents, so
 * that the same images always give the same sha256 and hence the same dataset id ({@code POST /datasets} is
 * content-addressed). Entries are the folder's contents without the folder's own name (renaming the folder changes
 * nothing), folders before what they hold, sorted by their '/'-separated path in code-point order; every entry has the
 * same time ({@link #TIME}), mode 0755 (folders) or 0644 (files), uid/gid 0 and no owner names; long or non-ASCII names
 * get POSIX (pax) headers. Plain tar rather than tar.gz: images are compressed already, and the bytes then do not
 * depend on a zlib version.
 *
 * <p>Symbolic links (and anything else that is neither a file nor a folder) are refused, naming the path: the dataset
 * service refuses links in an archive too, and following one could pack files from outside the folder.
 */
public final class ReproducibleTar {
    /** 1980-01-01T00:00:00Z, the earliest time a zip can hold: one fixed time for every entry. */
    public static final FileTime TIME = FileTime.from(Instant.parse("1980-01-01T00:00:00Z"));

    private static final int FOLDER_MODE = 040755;
    private static final int FILE_MODE = 0100644;

    private ReproducibleTar() {}

    /** Thrown for a folder the packer will not pack (a link in it, not a folder). */
    public static final class RefusedException extends IOException {
        private final Path path;

        RefusedException(Path path, String reason) {
            super(path + ": " + reason);
            this.path = path;
        }

        public Path path() {
            return path;
        }
    }

    /** One entry: its path in the archive and the file or folder it comes from. */
    public record Entry(String name, Path source, boolean folder) {}

    /**
     * The entries of {@code folder}, in archive order.
     *
     * @throws RefusedException for a symbolic link or a special file under it, or when it is no folder
     */
    public static List<Entry> entries(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException(folder, "is not a folder (a link to one is not followed either)");
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, new FileVisitOption[0])) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(folder)) {
                    continue;
                }
                BasicFileAttributes attributes =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    throw new RefusedException(
                            path, "is a symbolic link; replace it with the file or folder it points to, or remove it");
                }
                if (!attributes.isRegularFile() && !attributes.isDirectory()) {
                    throw new RefusedException(path, "is neither a file nor a folder");
                }
                String name = relativeName(folder, path) + (attributes.isDirectory() ? "/" : "");
                entries.add(new Entry(name, path, attributes.isDirectory()));
            }
        }
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return entries;
    }

    /** Writes the tar of {@code folder} to {@code out} (left open). */
    public static void write(Path folder, OutputStream out) throws IOException {
        List<Entry> entries = entries(folder);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Entry entry : entries) {
            TarArchiveEntry header = entry.folder()
                    ? new TarArchiveEntry(entry.name(), TarConstants.LF_DIR)
                    : new TarArchiveEntry(entry.name(), TarConstants.LF_NORMAL);
            header.setMode(entry.folder() ? FOLDER_MODE : FILE_MODE);
            header.setModTime(TIME);
            header.setIds(0, 0);
            header.setUserName("");
            header.setGroupName("");
            if (!entry.folder()) {
                header.setSize(Files.size(entry.source()));
            }
            tar.putArchiveEntry(header);
            if (!entry.folder()) {
                try (InputStream in = Files.newInputStream(entry.source(), LinkOption.NOFOLLOW_LINKS)) {
                    long copied = in.transferTo(tar);
                    if (copied != header.getSize()) {
                        throw new IOException(entry.source() + " changed while it was packed");
                    }
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    private static String relativeName(Path folder, Path path) {
        List<String> parts = new ArrayList<>();
        for (Path part : folder.relativize(path)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }
}
