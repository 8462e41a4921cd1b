package dev.tlab.kafka.local;

import dev.tlab.datafiles.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generated secrets in files only their owner can read (the local stack's Kafka passwords and REST tokens). The JDK and
 * data-files only, so launchers and tests can use it without the broker's jars.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** 192 random bits, URL-safe Base64: no quotes, commas or brackets, so safe in JAAS lines and headers. */
    public static String newSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret in a one-line file, generated (and written owner-only) when the file does not exist yet. */
    public static String readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!secret.isEmpty()) {
                    return secret;
                }
            }
            String secret = newSecret();
            writeOwnerOnly(file, secret + "\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Written through {@link AtomicFiles#writeOwnerOnly} (a temporary file that is owner-only from its creation, then
     * moved into place), in a folder that is owner-only when this creates it.
     */
    public static void writeOwnerOnly(Path file, String content) {
        Path absolute = file.toAbsolutePath();
        try {
            createPrivateFolder(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + absolute, e);
        }
        AtomicFiles.writeOwnerOnly(absolute, content);
    }

    /** Creates the folder owner-only when it is new, so that the names of the secrets are not listed to others. */
    public static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
