package dev.tlab.images;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Image trees the tests build: the same files as a folder, a zip, a tar or a tar.gz. */
final class Trees {

    private Trees() {}

    /** A small JPEG, distinct for each seed, of a size that varies with it (unequal sizes, as users' photos). */
    static byte[] jpeg(int seed) {
        int width = 20 + (seed * 7) % 30;
        int height = 14 + (seed * 5) % 25;
        return TestImages.jpeg(width, height, TestImages.photoPixels(width, height, seed), 0.9f);
    }

    /** A small PNG, distinct for each seed. */
    static byte[] png(int seed) {
        return TestImages.png(9, 7, 2, 8, TestImages.patternSamples(9, 7, 3, 8 - (seed % 4)), null, null);
    }

    /** {@code classes} × {@code perClass} JPEGs as {@code prefix<class>/img<k>.jpg}, seeds distinct across calls. */
    static Map<String, byte[]> classes(String prefix, int seedBase, int perClass, String... classes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int seed = seedBase;
        for (String name : classes) {
            for (int k = 0; k < perClass; k++) {
                files.put(prefix + name + "/img" + String.format("%03d", k) + ".jpg", jpeg(seed++));
            }
        }
        return files;
    }

    static Path folder(Path dir, Map<String, byte[]> files) {
        try {
            Files.createDirectories(dir);
            for (var file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path zip(Path archive, Map<String, byte[]> files) {
        return zip(archive, files, List.of());
    }

    /** A zip; {@code links} are added as Unix symbolic link entries (name, target). */
    static Path zip(Path archive, Map<String, byte[]> files, List<String[]> links) {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(archive))) {
            for (var file : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
                zip.putArchiveEntry(entry);
                zip.write(file.getValue());
                zip.closeArchiveEntry();
            }
            for (String[] link : links) {
                ZipArchiveEntry entry = new ZipArchiveEntry(link[0]);
                entry.setUnixMode(0120777);
                zip.putArchiveEntry(entry);
                zip.write(link[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tar(Path archive, Map<String, byte[]> files, boolean gzip) {
        return tar(archive, files, gzip, List.of());
    }

    /** A tar or tar.gz; {@code special} entries are (name, type, link target) with type "symlink" or "hardlink". */
    static Path tar(Path archive, Map<String, byte[]> files, boolean gzip, List<String[]> special) {
        try (OutputStream raw = Files.newOutputStream(archive);
                OutputStream out = gzip ? new GzipCompressorOutputStream(raw) : raw;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            for (String[] s : special) {
                TarArchiveEntry entry = new TarArchiveEntry(
                        s[0], s[1].equals("symlink") ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_LINK, true);
                entry.setLinkName(s[2]);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
