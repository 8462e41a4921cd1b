package dev.tlab.datafiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The one way this code base writes a file that others read: the content goes to a temporary file in the target's
 * folder (named {@code .<name>.<uuid>.tmp}, so that no reader's pattern matches it), is forced to disk, and is then
 * renamed over the target, atomically where the file system can. A reader sees the old file or the new one, never half
 * of one; a crash leaves at most a temporary file, never a damaged target.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; the stream is closed by {@link AtomicFiles}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Set<StandardOpenOption> CREATE_OPTIONS =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content}, creating its folder when missing. */
    public static void write(Path target, Content content) {
        write(target, content, false);
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /**
     * Like {@link #writeString}, for secrets: the temporary file is readable by its owner only from its creation (on
     * POSIX file systems), so the content is never readable by others, not even for a moment.
     */
    public static void writeOwnerOnly(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /**
     * Moves a file or folder that was completed aside (in the same folder as {@code target}) into place, replacing a
     * file there; atomically where the file system can.
     */
    public static void moveIntoPlace(Path completed, Path target) throws IOException {
        try {
            Files.move(completed, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(completed, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void write(Path target, Content content, boolean ownerOnly) {
        Path absolute = target.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(absolute.getParent());
            // CREATE_NEW with the process's umask (not createTempFile's fixed 0600), so readers in other processes
            // see the same permissions as before; owner-only where asked.
            try (FileChannel channel = FileChannel.open(temporary, CREATE_OPTIONS, attributes(ownerOnly));
                    OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temporary, absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute, e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // a leftover temporary file never has the target's name
            }
        }
    }

    private static FileAttribute<?>[] attributes(boolean ownerOnly) {
        if (ownerOnly && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            };
        }
        return new FileAttribute<?>[0];
    }
}
