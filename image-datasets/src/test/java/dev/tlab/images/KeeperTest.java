package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Checksums;
import dev.tlab.images.ImageDatasetException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scan hands to its keeper, and the reject policy applied to a scan made earlier. */
class KeeperTest {

    @TempDir
    Path root;

    private final ImageDatasetScanner scanner = new ImageDatasetScanner(
            new DatasetRoots(List.of(Path.of(System.getProperty("java.io.tmpdir")))), ScanLimits.DEFAULTS, 2);

    @Test
    void everyImageThatDecodedIsKeptWithItsBytesAndNoReject() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 3, "cats", "dogs"));
        files.put("dogs/broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2});
        Path dir = Trees.folder(root.resolve("data"), files);
        Map<String, byte[]> kept = new ConcurrentHashMap<>();
        ScannedDataset scan = scanner.scan(
                scanner.scan(dir.toString(), RejectPolicy.SKIP).location(),
                RejectPolicy.SKIP,
                (file, bytes) -> kept.put(file.path(), bytes));
        assertEquals(6, kept.size());
        for (ScannedFile f : scan.images()) {
            assertEquals(f.sha256(), Checksums.sha256Hex(kept.get(f.path())), f.path());
        }
        assertEquals(1, scan.rejects().size());
        ImageDatasetScanner.checkRejects(scan.rejects(), RejectPolicy.SKIP);
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class, () -> ImageDatasetScanner.checkRejects(scan.rejects(), RejectPolicy.FAIL));
        assertEquals(Problem.REJECTED_IMAGES, e.problem());
        assertEquals("dogs/broken.jpg", e.subject());
    }

    @Test
    void aKeeperThatFailsStopsTheScanNamingTheFile() {
        Path dir = Trees.folder(root.resolve("data"), Trees.classes("", 1, 2, "cats", "dogs"));
        DatasetLocation location =
                scanner.scan(dir.toString(), RejectPolicy.SKIP).location();
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class,
                () -> scanner.scan(location, RejectPolicy.SKIP, (file, bytes) -> {
                    throw new IOException("No space left on device");
                }));
        assertEquals(Problem.UNREADABLE, e.problem());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }
}
