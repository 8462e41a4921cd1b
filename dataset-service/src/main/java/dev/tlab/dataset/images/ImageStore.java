package dev.tlab.dataset.images;

import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The dataset service's content-addressed store of the user's images ({@code tlab.dataset.images.store}); every name is
 * a sha256 of what the file holds, so the same bytes are stored once and a file can be checked against its name:
 *
 * <ul>
 *   <li>{@code archives/<sha256>.zip|.tar|.tar.gz}: uploaded and downloaded archives (an upload's id is its sha256);
 *   <li>{@code objects/<2 hex>/<sha256>}: every image that passed a scan, as its original bytes: trainers get these,
 *       and apply the notebook's transforms to the originals, as torchvision does to the files (no resized copy, so no
 *       second resampling that PyTorch would not do);
 *   <li>{@code indexes/<sha256>.json}: the image index of a manifest;
 *   <li>{@code scans/<key>.json}: what a scan found, kept so that a source is scanned once per content and limits.
 * </ul>
 *
 * Files are written aside and moved into place ({@link AtomicFiles}), so a reader never sees half of one.
 */
public final class ImageStore {

    private final Path root;

    public ImageStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path object(String sha256) {
        return root.resolve("objects").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Keeps an image's bytes under their sha256, unless they are there already. */
    public void keep(String sha256, byte[] bytes) {
        Path target = object(sha256);
        if (!Files.isRegularFile(target)) {
            AtomicFiles.writeBytes(target, bytes);
        }
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(object(sha256));
    }

    /**
     * The stored image, checked against its name.
     *
     * @return empty when the store has no such image
     * @throws DamagedObjectException when its bytes no longer hash to its name
     */
    public Optional<byte[]> image(String sha256) {
        Path file = object(sha256);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String actual = Checksums.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new DamagedObjectException(
                    "the stored image " + file + " is damaged: its sha256 is now " + actual + "; it is not served");
        }
        return Optional.of(bytes);
    }

    /** Where an archive of this kind and sha256 is kept. */
    public Path archive(String sha256, SourceKind kind) {
        return root.resolve("archives").resolve(sha256 + extension(kind));
    }

    /** The stored archive with this sha256, whatever its kind. */
    public Optional<Path> archive(String sha256) {
        for (SourceKind kind : new SourceKind[] {SourceKind.ZIP, SourceKind.TAR, SourceKind.TAR_GZ}) {
            Path file = archive(sha256, kind);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The folder where archives arrive before they are moved into place under their sha256. */
    public Path incoming() {
        return root.resolve("archives");
    }

    public Path index(String sha256) {
        return root.resolve("indexes").resolve(sha256 + ".json");
    }

    /** Keeps an index under its sha256 and returns it. */
    public String putIndex(byte[] json) {
        String sha256 = Checksums.sha256Hex(json);
        Path target = index(sha256);
        if (!Files.isRegularFile(target)) {
            AtomicFiles.writeBytes(target, json);
        }
        return sha256;
    }

    public Path scan(String key) {
        return root.resolve("scans").resolve(key + ".json");
    }

    /**
     * What an archive's first bytes say it is: a zip ({@code PK\3\4}, or {@code PK\5\6} for an empty one), a gzip
     * stream (taken as a tar.gz) or a POSIX tar ({@code ustar} at offset 257).
     */
    public static Optional<SourceKind> sniff(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(262);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return Optional.of(SourceKind.ZIP);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return Optional.of(SourceKind.TAR_GZ);
        }
        if (head.length >= 262
                && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            return Optional.of(SourceKind.TAR);
        }
        return Optional.empty();
    }

    static String extension(SourceKind kind) {
        return switch (kind) {
            case ZIP -> ".zip";
            case TAR -> ".tar";
            case TAR_GZ -> ".tar.gz";
            case FOLDER -> throw new IllegalArgumentException("a folder is no archive");
        };
    }

    /** The kind as the manifest names it: folder, zip, tar or tar.gz. */
    static String label(SourceKind kind) {
        return kind == SourceKind.TAR_GZ ? "tar.gz" : kind.name().toLowerCase(Locale.ROOT);
    }

    /** A stored object whose bytes no longer match its name. */
    public static final class DamagedObjectException extends RuntimeException {
        DamagedObjectException(String message) {
            super(message);
        }
    }
}
