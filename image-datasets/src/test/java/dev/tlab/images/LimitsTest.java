package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.ImageDatasetException.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each limit stops what exceeds it, naming the limit (dataset-wide) or the file (per image). */
class LimitsTest {

    @TempDir
    Path root;

    private static final ScanLimits DEFAULTS = ScanLimits.DEFAULTS;

    private ScannedDataset scan(ScanLimits limits, String location) {
        return new ImageDatasetScanner(new DatasetRoots(List.of(root)), limits, 2).scan(location, RejectPolicy.SKIP);
    }

    private ImageDatasetException refusal(ScanLimits limits, String location) {
        return assertThrows(ImageDatasetException.class, () -> scan(limits, location));
    }

    private static Map<String, byte[]> twoClasses() {
        return Trees.classes("", 1, 5, "cats", "dogs");
    }

    @Test
    void tooManyFilesAndFoldersNameTheLimit() {
        // 10 images in 2 class folders: 12 entries.
        Trees.folder(root.resolve("d"), twoClasses());
        ImageDatasetException e = refusal(new ScanLimits(11, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 8), "d");
        assertEquals(Problem.LIMIT_EXCEEDED, e.problem());
        assertEquals("max-files", e.subject());
        assertEquals(
                10,
                scan(new ScanLimits(12, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 8), "d")
                        .images()
                        .size());
        // Folders without files count too: they are records as well.
        for (int i = 0; i < 20; i++) {
            root.resolve("d/cats/empty" + i).toFile().mkdirs();
        }
        assertEquals(
                "max-files",
                refusal(new ScanLimits(30, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 30), "d")
                        .subject());
        // This zip lists no folder entries: its 10 file entries are what counts.
        Trees.zip(root.resolve("d.zip"), twoClasses());
        assertEquals(
                "max-files",
                refusal(new ScanLimits(9, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 8), "d.zip")
                        .subject());
    }

    @Test
    void aFileOverTheByteLimitIsRejectedByName() {
        Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
        byte[] big = TestImages.jpeg(300, 200, TestImages.photoPixels(300, 200, 9), 1.0f);
        files.put("cats/big.jpg", big);
        Trees.folder(root.resolve("d"), files);
        Trees.zip(root.resolve("d.zip"), files);
        Trees.tar(root.resolve("d.tar.gz"), files, true);
        ScanLimits limits = new ScanLimits(100, big.length - 1, 1L << 30, 1 << 20, 1L << 30, 8);
        for (String location : List.of("d", "d.zip", "d.tar.gz")) {
            ScannedDataset scan = scan(limits, location);
            assertEquals(1, scan.rejects().size(), location);
            Reject reject = scan.rejects().get(0);
            assertEquals("cats/big.jpg", reject.path());
            assertEquals(RejectReason.TOO_MANY_BYTES, reject.reason());
            assertTrue(reject.detail().contains("max-file-bytes"), reject.detail());
            assertEquals(10, scan.images().size());
        }
    }

    @Test
    void aZipBombEntryIsReadOnlyUpToTheFileLimit() throws IOException {
        Path zip = root.resolve("bomb.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            for (var file : twoClasses().entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
                out.write(file.getValue());
                out.closeArchiveEntry();
            }
            out.putArchiveEntry(new ZipArchiveEntry("cats/bomb.jpg"));
            writeZeros(out, 128L << 20); // 128 MiB that deflate to about 130 KB
            out.closeArchiveEntry();
        }
        assertTrue(Files.size(zip) < 2_000_000, "bomb of " + Files.size(zip) + " bytes");
        ScanLimits limits = new ScanLimits(100, 4 << 20, 1L << 40, 1 << 20, 1L << 30, 8);
        ScannedDataset scan = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scan(limits, "bomb.zip"));
        assertEquals(RejectReason.TOO_MANY_BYTES, scan.rejects().get(0).reason());
        assertTrue(scan.bytesRead() < 6 << 20, "inflated " + scan.bytesRead() + " bytes");
    }

    @Test
    void aTarGzBombStopsAtTheTotalByteLimit() throws IOException {
        Path archive = root.resolve("bomb.tar.gz");
        try (OutputStream raw = Files.newOutputStream(archive);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(raw);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry("cats/bomb.jpg");
            long size = 256L << 20; // 256 MiB of zeros, about 250 KB compressed
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            writeZeros(tar, size);
            tar.closeArchiveEntry();
            for (var file : twoClasses().entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(file.getKey());
                e.setSize(file.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        ScanLimits limits = new ScanLimits(100, 4 << 20, 64L << 20, 1 << 20, 1L << 30, 8);
        ImageDatasetException e =
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> refusal(limits, "bomb.tar.gz"));
        assertEquals(Problem.LIMIT_EXCEEDED, e.problem());
        assertEquals("max-total-bytes", e.subject());
    }

    @Test
    void theTotalByteLimitCountsFolderFilesToo() {
        Trees.folder(root.resolve("d"), twoClasses());
        long total = scan(DEFAULTS, "d").bytesRead();
        assertEquals(
                "max-total-bytes",
                refusal(new ScanLimits(100, 1 << 20, total - 1, 1 << 20, 1L << 30, 8), "d")
                        .subject());
    }

    @Test
    void anImageOverThePixelLimitIsRejectedByName() {
        Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
        files.put("dogs/wide.png", TestImages.png(100, 50, 0, 8, new int[5000], null, null));
        Trees.folder(root.resolve("d"), files);
        ScannedDataset scan = scan(new ScanLimits(100, 1 << 20, 1L << 30, 4999, 1L << 30, 8), "d");
        assertEquals(
                List.of("dogs/wide.png"),
                scan.rejects().stream().map(Reject::path).toList());
        assertEquals(RejectReason.TOO_MANY_PIXELS, scan.rejects().get(0).reason());
    }

    @Test
    void theTotalPixelLimitStopsTheScan() {
        Trees.folder(root.resolve("d"), twoClasses());
        long pixels = scan(DEFAULTS, "d").pixels();
        ImageDatasetException e = refusal(new ScanLimits(100, 1 << 20, 1L << 30, 1 << 20, pixels - 1, 8), "d");
        assertEquals("max-total-pixels", e.subject());
    }

    @Test
    void tooDeepANestingNamesTheLimit() {
        Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
        files.put("cats/a/b/c/deep.jpg", Trees.jpeg(70));
        Trees.folder(root.resolve("d"), files);
        Trees.zip(root.resolve("d.zip"), files);
        ScanLimits three = new ScanLimits(100, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 3);
        assertEquals("max-depth", refusal(three, "d").subject());
        assertEquals("max-depth", refusal(three, "d.zip").subject());
        ScanLimits four = new ScanLimits(100, 1 << 20, 1L << 30, 1 << 20, 1L << 30, 4);
        assertEquals(11, scan(four, "d").images().size());
    }

    @Test
    void theFailPolicyRefusesADatasetWithRejectsAndNamesThem() {
        Map<String, byte[]> files = new LinkedHashMap<>(twoClasses());
        files.put("cats/empty.jpg", new byte[0]);
        byte[] cut = TestImages.jpeg(200, 150, TestImages.photoPixels(200, 150, 80), 0.9f);
        files.put("dogs/cut.jpg", java.util.Arrays.copyOf(cut, cut.length * 2 / 3));
        Trees.folder(root.resolve("d"), files);
        ImageDatasetScanner scanner = new ImageDatasetScanner(new DatasetRoots(List.of(root)), DEFAULTS, 2);
        ImageDatasetException e = assertThrows(ImageDatasetException.class, () -> scanner.scan("d", RejectPolicy.FAIL));
        assertEquals(Problem.REJECTED_IMAGES, e.problem());
        assertTrue(e.getMessage().contains("cats/empty.jpg: the file is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("dogs/cut.jpg: the file ends before the image does"), e.getMessage());
        ScannedDataset skipped = scanner.scan("d", RejectPolicy.SKIP);
        assertEquals(2, skipped.rejects().size());
        assertEquals(10, skipped.images().size());
    }

    private static void writeZeros(OutputStream out, long count) throws IOException {
        byte[] zeros = new byte[1 << 16];
        for (long written = 0; written < count; written += zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, count - written));
        }
    }
}
