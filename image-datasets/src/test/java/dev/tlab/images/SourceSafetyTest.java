package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.ImageDatasetException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing outside the configured roots is read, by location, link or archive entry; archives read like folders. */
class SourceSafetyTest {

    @TempDir
    Path tmp;

    private Path rootDir() throws Exception {
        return Files.createDirectories(tmp.resolve("roots/allowed"));
    }

    private ImageDatasetScanner scanner(Path root) {
        return new ImageDatasetScanner(new DatasetRoots(List.of(root)), ScanLimits.DEFAULTS, 2);
    }

    private ImageDatasetException refusal(Path root, String location) {
        return assertThrows(ImageDatasetException.class, () -> scanner(root).scan(location, RejectPolicy.SKIP));
    }

    private static Map<String, byte[]> twoClasses() {
        return Trees.classes("", 1, 4, "cats", "dogs");
    }

    @Test
    void aLocationOutsideTheRootsIsRefused() throws Exception {
        Path root = rootDir();
        Path outside = Trees.folder(tmp.resolve("elsewhere"), twoClasses());
        ImageDatasetException e = refusal(root, outside.toString());
        assertEquals(Problem.OUTSIDE_ROOTS, e.problem());
    }

    @Test
    void dotDotIsRefusedEvenWhereItWouldStayInside() throws Exception {
        Path root = rootDir();
        Trees.folder(root.resolve("data"), twoClasses());
        assertEquals(
                Problem.OUTSIDE_ROOTS, refusal(root, root + "/data/../data").problem());
        assertEquals(Problem.OUTSIDE_ROOTS, refusal(root, "../elsewhere").problem());
    }

    @Test
    void aRelativeLocationIsResolvedUnderTheRoots() throws Exception {
        Path root = rootDir();
        Trees.folder(root.resolve("data"), twoClasses());
        ScannedDataset scan = scanner(root).scan("data", RejectPolicy.SKIP);
        assertEquals(8, scan.images().size());
    }

    @Test
    void aLinkedLocationLeadingOutsideIsRefused() throws Exception {
        Path root = rootDir();
        Path outside = Trees.folder(tmp.resolve("elsewhere"), twoClasses());
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertEquals(
                Problem.OUTSIDE_ROOTS,
                refusal(root, root.resolve("link").toString()).problem());
    }

    @Test
    void aSymlinkInsideTheDatasetLeadingOutsideStopsTheScan() throws Exception {
        Path root = rootDir();
        Path data = Trees.folder(root.resolve("data"), twoClasses());
        Path secret = Files.write(tmp.resolve("secret.jpg"), Trees.jpeg(99));
        Files.createSymbolicLink(data.resolve("cats/secret.jpg"), secret);
        ImageDatasetException e = refusal(root, data.toString());
        assertEquals(Problem.OUTSIDE_ROOTS, e.problem());
        assertEquals("cats/secret.jpg", e.subject());
    }

    @Test
    void aFolderLinkLeadingOutsideStopsTheScan() throws Exception {
        Path root = rootDir();
        Path data = Trees.folder(root.resolve("data"), twoClasses());
        Path outside = Trees.folder(tmp.resolve("elsewhere"), Trees.classes("", 50, 2, "owls"));
        Files.createSymbolicLink(data.resolve("owls"), outside.resolve("owls"));
        ImageDatasetException e = refusal(root, data.toString());
        assertEquals(Problem.OUTSIDE_ROOTS, e.problem());
        assertEquals("owls", e.subject());
    }

    @Test
    void linksThatStayInsideTheRootsAreFollowed() throws Exception {
        Path root = rootDir();
        Path data = Trees.folder(root.resolve("data"), twoClasses());
        Path shared = Trees.folder(root.resolve("shared"), Trees.classes("", 50, 2, "owls"));
        Files.createSymbolicLink(data.resolve("owls"), shared.resolve("owls"));
        Files.createSymbolicLink(data.resolve("cats/extra.jpg"), shared.resolve("owls/img000.jpg"));
        ScannedDataset scan = scanner(root).scan(data.toString(), RejectPolicy.SKIP);
        assertTrue(scan.images().stream().anyMatch(i -> i.path().equals("owls/img001.jpg")));
        assertTrue(scan.images().stream().anyMatch(i -> i.path().equals("cats/extra.jpg")));
    }

    @Test
    void aLinkLoopStopsTheScan() throws Exception {
        Path root = rootDir();
        Path data = Trees.folder(root.resolve("data"), twoClasses());
        Files.createSymbolicLink(data.resolve("cats/loop"), data.resolve("cats"));
        assertEquals(Problem.UNSAFE_ENTRY, refusal(root, data.toString()).problem());
    }

    @Test
    void aMissingLocationSaysWhereToPutIt() throws Exception {
        Path root = rootDir();
        ImageDatasetException e = refusal(root, "nothing-here");
        assertEquals(Problem.NOT_FOUND, e.problem());
        assertTrue(e.getMessage().contains("under the dataset roots"), e.getMessage());
    }

    @Test
    void aFileThatIsNoArchiveIsRefused() throws Exception {
        Path root = rootDir();
        Files.write(root.resolve("data.rar"), new byte[] {1, 2, 3});
        assertEquals(Problem.UNSUPPORTED_SOURCE, refusal(root, "data.rar").problem());
    }

    @Test
    void zipTarAndTarGzDescribeTheSameDatasetAsTheFolder() throws Exception {
        Path root = rootDir();
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("pets/", 1, 5, "cats", "dogs", "owls"));
        files.put("pets/cats/.DS_Store", new byte[] {1});
        files.put("pets/readme.md", new byte[] {2});
        Trees.folder(root.resolve("folder"), files);
        Trees.zip(root.resolve("pets.zip"), files);
        Trees.tar(root.resolve("pets.tar"), files, false);
        Trees.tar(root.resolve("pets.tar.gz"), files, true);
        DatasetRequest request = new DatasetRequest(0.2, 0.2, 7, SubsetRule.STRATIFIED_RANDOM, 2, 3);
        DatasetDescription folder = DatasetPlanner.plan(scanner(root).scan("folder", RejectPolicy.SKIP), request);
        assertEquals(List.of("cats", "dogs", "owls"), folder.classes());
        for (String archive : List.of("pets.zip", "pets.tar", "pets.tar.gz")) {
            DatasetDescription d = DatasetPlanner.plan(scanner(root).scan(archive, RejectPolicy.SKIP), request);
            assertEquals(folder.fingerprint(), d.fingerprint(), archive);
            assertEquals(folder.subset().digest(), d.subset().digest(), archive);
            assertEquals(folder.ignored(), d.ignored(), archive);
            assertEquals(64, d.source().archiveSha256().length(), archive);
        }
    }

    @Test
    void zipSlipAndAbsoluteEntriesAreRefusedByName() throws Exception {
        Path root = rootDir();
        for (String evil :
                List.of("../evil.jpg", "cats/../../evil.jpg", "/etc/evil.jpg", "C:\\evil.jpg", "cats\\..\\..\\e.jpg")) {
            Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
            files.put(evil, Trees.jpeg(77));
            Trees.zip(root.resolve("slip.zip"), files);
            Trees.tar(root.resolve("slip.tar"), files, false);
            for (String archive : List.of("slip.zip", "slip.tar")) {
                ImageDatasetException e = refusal(root, archive);
                assertEquals(Problem.UNSAFE_ENTRY, e.problem(), evil + " in " + archive);
                // commons-compress itself reads a zip name's '\\' as '/' on some entries.
                assertEquals(evil.replace('\\', '/'), e.subject().replace('\\', '/'), archive);
            }
        }
    }

    @Test
    void linkEntriesInArchivesAreRefused() throws Exception {
        Path root = rootDir();
        Trees.zip(
                root.resolve("link.zip"), twoClasses(), List.<String[]>of(new String[] {"cats/passwd.jpg", "/etc/passwd"
                }));
        assertEquals(Problem.UNSAFE_ENTRY, refusal(root, "link.zip").problem());
        Trees.tar(root.resolve("sym.tar.gz"), twoClasses(), true, List.<String[]>of(new String[] {
            "cats/s.jpg", "symlink", "/etc/passwd"
        }));
        ImageDatasetException symlink = refusal(root, "sym.tar.gz");
        assertEquals(Problem.UNSAFE_ENTRY, symlink.problem());
        assertTrue(symlink.getMessage().contains("symbolic link"), symlink.getMessage());
        Trees.tar(root.resolve("hard.tar"), twoClasses(), false, List.<String[]>of(new String[] {
            "cats/h.jpg", "hardlink", "cats/img000.jpg"
        }));
        ImageDatasetException hard = refusal(root, "hard.tar");
        assertTrue(hard.getMessage().contains("hard link"), hard.getMessage());
    }

    @Test
    void theSameEntryNameTwiceIsRefused() throws Exception {
        Path root = rootDir();
        Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
        // Entry names that differ only by a './' prefix or a doubled slash name the same file.
        files.put("./cats//img000.jpg", Trees.jpeg(56));
        Trees.zip(root.resolve("dup.zip"), files);
        ImageDatasetException e = refusal(root, "dup.zip");
        assertEquals(Problem.UNSAFE_ENTRY, e.problem());
        assertEquals("cats/img000.jpg", e.subject());
    }
}
