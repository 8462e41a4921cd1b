package dev.tlab.datafiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndCreatesItsFolder() throws IOException {
        Path target = dir.resolve("a/b/file.json");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second");
        assertEquals("second", Files.readString(target));
        AtomicFiles.writeBytes(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of(target), listed(target.getParent()), "no temporary file is left behind");
    }

    @Test
    void aFailingWriterLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("state.properties");
        AtomicFiles.writeString(target, "old");
        UncheckedIOException failure = assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.write(target, out -> {
                    out.write("half of the new".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk full");
                }));
        assertTrue(failure.getMessage().contains(target.toString()), failure.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listed(dir));
    }

    @Test
    void ordinaryFilesGetTheUmaskPermissionsAndSecretsAreOwnerOnly() throws IOException {
        Path plain = dir.resolve("plain");
        Path secret = dir.resolve("secret");
        AtomicFiles.writeString(plain, "x");
        AtomicFiles.writeOwnerOnly(secret, "s3cr3t");
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        assertEquals(ownerOnly, Files.getPosixFilePermissions(secret));
        // What Files.writeString gives a new file (the umask's), not createTempFile's fixed owner-only mode.
        Path reference = Files.writeString(dir.resolve("reference"), "x");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(plain));
    }

    private static List<Path> listed(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().equals("reference"))
                    .sorted()
                    .toList();
        }
    }
}
