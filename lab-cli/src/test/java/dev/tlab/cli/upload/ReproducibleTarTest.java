package dev.tlab.cli.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Checksums;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same folder always packs to the same bytes (hence the same dataset id); anything else changes them. */
class ReproducibleTarTest {
    @TempDir
    Path temp;

    /** Files written deliberately out of order; a long and a non-ASCII name need pax headers. */
    private Path folder(String name) throws IOException {
        Path root = temp.resolve(name);
        String longName = "x".repeat(120) + ".jpg";
        for (String file : List.of("dog/b.jpg", "cat/z.png", "dog/a.jpg", "cat/ä-" + longName, "cat/a.png")) {
            Path path = root.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "image " + file, StandardCharsets.UTF_8);
        }
        Files.createDirectories(root.resolve("empty-class"));
        return root;
    }

    private static byte[] pack(Path folder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReproducibleTar.write(folder, out);
        return out.toByteArray();
    }

    @Test
    void theSameFolderGivesTheSameBytesWhateverItsTimesPermissionsAndName() throws IOException {
        Path folder = folder("pets");
        byte[] first = pack(folder);
        assertArrayEquals(first, pack(folder), "packed twice");

        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2031-05-06T07:08:09Z")));
                if (Files.isRegularFile(path)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                }
            }
        }
        assertArrayEquals(first, pack(folder), "after touching times and permissions");

        // written in another order, under another name: the folder's own name is not in the archive
        Path copy = temp.resolve("copy of pets");
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Path target = copy.resolve(folder.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target);
                }
            }
        }
        assertArrayEquals(first, pack(copy), "a copy written in reverse order under another name");
    }

    @Test
    void differentContentOrNamesGiveADifferentSha256() throws IOException {
        Path folder = folder("pets");
        String before = Checksums.sha256Hex(pack(folder));
        Files.writeString(folder.resolve("dog/a.jpg"), "image dog/a.jpG", StandardCharsets.UTF_8);
        String changedContent = Checksums.sha256Hex(pack(folder));
        assertNotEquals(before, changedContent, "one byte of one file changed");
        Files.move(folder.resolve("dog/a.jpg"), folder.resolve("dog/c.jpg"));
        assertNotEquals(changedContent, Checksums.sha256Hex(pack(folder)), "a file renamed");
    }

    @Test
    void entriesAreSortedFoldersFirstWithFixedTimesModesAndNoOwners() throws IOException {
        Path folder = folder("pets");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(pack(folder)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
                assertEquals(
                        ReproducibleTar.TIME.toInstant(),
                        entry.getLastModifiedTime().toInstant(),
                        entry.getName());
                assertEquals(entry.isDirectory() ? 0755 : 0644, entry.getMode() & 07777, entry.getName());
                assertEquals("", entry.getUserName(), entry.getName());
                assertEquals("", entry.getGroupName(), entry.getName());
                assertEquals(0L, entry.getLongUserId());
                assertEquals(0L, entry.getLongGroupId());
                if (!entry.isDirectory()) {
                    assertEquals("image " + entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String::compareTo);
        assertEquals(sorted, names);
        assertEquals("cat/", names.get(0));
        assertTrue(names.contains("empty-class/"), "an empty class folder is kept, for the service to name it");
        assertTrue(names.contains("cat/ä-" + "x".repeat(120) + ".jpg"), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("pets")), "no folder name: " + names);
    }

    @Test
    void aSymbolicLinkIsRefusedByName() throws IOException {
        Path folder = folder("pets");
        Path outside = Files.writeString(temp.resolve("secret.txt"), "not an image");
        Path link = Files.createSymbolicLink(folder.resolve("cat/link.png"), outside);
        ReproducibleTar.RefusedException refused =
                assertThrows(ReproducibleTar.RefusedException.class, () -> pack(folder));
        assertEquals(link, refused.path());
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());

        Files.delete(link);
        Files.createSymbolicLink(folder.resolve("linked-class"), temp);
        assertEquals(
                folder.resolve("linked-class"),
                assertThrows(ReproducibleTar.RefusedException.class, () -> pack(folder))
                        .path(),
                "a link to a folder is refused too, not followed");
    }

    @Test
    void aFolderThatIsALinkIsRefused() throws IOException {
        Path folder = folder("pets");
        Path link = Files.createSymbolicLink(temp.resolve("pets-link"), folder);
        assertThrows(ReproducibleTar.RefusedException.class, () -> pack(link));
    }
}
