package dev.tlab.dataset.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts the expected files of one folder of a gzip-compressed tar archive (Apache Commons Compress reads ustar, GNU
 * and pax), enough for the CIFAR-10 distribution. It never writes outside the target: only the wanted base names are
 * written, directly into it.
 */
public final class TarGz {
    private TarGz() {}

    /**
     * Extracts the files named {@code wanted} that lie directly in {@code folder/} of the archive into {@code target}
     * (created) and returns which were found. A truncated or corrupt archive is a {@link DatasetException}.
     */
    public static Set<String> extractFolder(Path archive, String folder, Set<String> wanted, Path target) {
        Set<String> found = new HashSet<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            Files.createDirectories(target);
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                int slash = name.lastIndexOf('/');
                String parent = slash < 0 ? "" : name.substring(0, slash);
                String base = name.substring(slash + 1);
                if (entry.isFile() && parent.equals(folder) && wanted.contains(base)) {
                    long copied = Files.copy(tar, target.resolve(base), StandardCopyOption.REPLACE_EXISTING);
                    if (copied != entry.getSize()) {
                        throw new EOFException(
                                name + " ends after " + copied + " of its " + entry.getSize() + " bytes");
                    }
                    found.add(base);
                }
            }
        } catch (EOFException e) {
            throw new DatasetException(archive + " is truncated: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            // Commons Compress reports a damaged header as an IllegalArgumentException (e.g. a bad octal number)
            throw new DatasetException(
                    "cannot read archive " + archive + " (truncated or corrupt): " + e.getMessage(), e);
        }
        return found;
    }
}
