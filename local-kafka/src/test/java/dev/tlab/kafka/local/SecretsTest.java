package dev.tlab.kafka.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret's file and its new folder are their owner's only, it is kept across calls, and a rewrite leaves no copy. */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void aNewSecretIsOwnerOnlyInAnOwnerOnlyFolderAndIsReused() throws IOException {
        Path file = dir.resolve("secrets/trigger-token");
        String secret = Secrets.readOrCreate(file);
        assertEquals(32, secret.length(), "192 bits in URL-safe Base64");
        assertEquals(secret + "\n", Files.readString(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(file.getParent()));
        assertEquals(secret, Secrets.readOrCreate(file), "an existing secret is kept");
        assertNotEquals(secret, Secrets.readOrCreate(dir.resolve("secrets/reader-token")));
    }

    @Test
    void aRewriteReplacesTheFileWholeAndLeavesNothingElse() throws IOException {
        Path file = dir.resolve("users.properties");
        Secrets.writeOwnerOnly(file, "admin=first\n");
        Secrets.writeOwnerOnly(file, "admin=second\n");
        assertEquals("admin=second\n", Files.readString(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left beside it");
        }
        assertTrue(Files.isRegularFile(file));
    }
}
