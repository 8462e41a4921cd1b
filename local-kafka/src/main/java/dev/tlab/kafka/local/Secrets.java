package dev.tlab.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generated secrets in files only their owner can read (the local stack's Kafka passwords and REST tokens). JDK only,
 * so launchers and tests can use it without the broker's jars.
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

    /** Written to a temporary file that is owner-only from its creation, then moved into place. */
    public static void writeOwnerOnly(Path file, String content) {
        Path absolute = file.toAbsolutePath();
        try {
            Path folder = absolute.getParent();
            createPrivateFolder(folder);
            String name = absolute.getFileName().toString();
            Path temporary = posix()
                    ? Files.createTempFile(
                            folder,
                            name,
                            ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(folder, name, ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute, e);
        }
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
