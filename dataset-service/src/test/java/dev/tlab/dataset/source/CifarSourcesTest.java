package dev.tlab.dataset.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.dataset.testing.TestArchives;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarSourcesTest {
    @TempDir
    Path tmp;

    Path dataDir;
    Path archive;
    String md5;

    @BeforeEach
    void makeArchive() throws IOException {
        dataDir = tmp.resolve("data");
        Path folder = TestArchives.folder(tmp.resolve("src"), 10, 2, 11);
        archive = TestArchives.archive(folder, tmp.resolve("cifar-10-binary.tar.gz"));
        md5 = Checksums.md5Hex(archive);
    }

    CifarSources sources(Optional<Path> archivePath, Optional<URI> url, String expectedMd5) {
        return new CifarSources(new CifarSources.Settings(
                dataDir,
                Optional.empty(),
                archivePath,
                url,
                Optional.ofNullable(expectedMd5),
                20,
                Duration.ofSeconds(30),
                7,
                3,
                0,
                false));
    }

    @Test
    void nothingConfiguredNamesTheKeysToSet() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> sources(Optional.empty(), Optional.empty(), md5).resolve(DatasetSpec.of("cifar10")));
        assertTrue(e.getMessage().startsWith("CIFAR-10 not found in " + dataDir), e.getMessage());
        assertTrue(e.getMessage().contains("tlab.dataset.cifar10.archive"), e.getMessage());
        assertTrue(e.getMessage().contains("tlab.dataset.cifar10.url"), e.getMessage());
        assertTrue(e.getMessage().contains("use dataset synthetic"), e.getMessage());
    }

    @Test
    void archiveWithTheRightChecksumIsUnpackedIntoTheDataFolder() {
        CifarDataset dataset =
                sources(Optional.of(archive), Optional.empty(), md5).resolve(DatasetSpec.of("cifar10"));
        assertEquals(dataDir.resolve(CifarFormat.FOLDER), dataset.folder());
        assertEquals(100, dataset.trainCount());
        assertEquals("cifar10", dataset.dataset());
        assertFalse(dataset.synthetic());
        assertFalse(Files.exists(dataDir.resolve(CifarFormat.FOLDER).resolve("readme.html")));
        // a second service instance finds the unpacked folder
        assertEquals(
                dataset.fingerprint(),
                sources(Optional.empty(), Optional.empty(), md5)
                        .resolve(DatasetSpec.of("cifar10"))
                        .fingerprint());
    }

    @Test
    void wrongChecksumIsRefusedAndLeavesNothing() throws IOException {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> sources(Optional.of(archive), Optional.empty(), "00000000000000000000000000000000")
                        .resolve(DatasetSpec.of("cifar10")));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(md5), e.getMessage());
        assertNoDatasetIn(dataDir);
    }

    @Test
    void truncatedArchiveIsRefusedAndLeavesNothing() throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> sources(Optional.of(cut), Optional.empty(), null).resolve(DatasetSpec.of("cifar10")));
        assertTrue(
                e.getMessage().contains("truncated") || e.getMessage().contains("cannot read archive"), e.getMessage());
        assertNoDatasetIn(dataDir);
    }

    /** Bit rot in the compressed bytes (no md5 configured to catch it first): gzip's own check refuses them. */
    @Test
    void archiveWithDamagedBytesIsRefusedAndLeavesNothing() throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = Files.write(tmp.resolve("damaged.tar.gz"), bytes);
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> sources(Optional.of(damaged), Optional.empty(), null).resolve(DatasetSpec.of("cifar10")));
        assertTrue(
                e.getMessage().contains("cannot read archive") || e.getMessage().contains("truncated"), e.getMessage());
        assertNoDatasetIn(dataDir);
    }

    @Test
    void archiveWithWrongRecordCountIsRefused() {
        CifarSources strict = new CifarSources(new CifarSources.Settings(
                dataDir,
                Optional.empty(),
                Optional.of(archive),
                Optional.empty(),
                Optional.of(md5),
                CifarFormat.REAL_RECORDS_PER_BATCH,
                Duration.ofSeconds(30),
                7,
                3,
                0,
                false));
        DatasetException e = assertThrows(DatasetException.class, () -> strict.resolve(DatasetSpec.of("cifar10")));
        assertTrue(e.getMessage().contains("expected 10000"), e.getMessage());
        assertNoDatasetIn(dataDir);
    }

    @Test
    void downloadsFromALocalServerAndVerifiesTheChecksum() throws IOException {
        byte[] body = Files.readAllBytes(archive);
        AtomicInteger hits = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cifar-10-binary.tar.gz", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
            DatasetException bad = assertThrows(
                    DatasetException.class,
                    () -> sources(Optional.empty(), Optional.of(url), "11111111111111111111111111111111")
                            .resolve(DatasetSpec.of("cifar10")));
            assertTrue(bad.getMessage().contains("checksum mismatch"), bad.getMessage());
            assertNoDatasetIn(dataDir);
            assertFalse(Files.exists(dataDir.resolve(CifarFormat.ARCHIVE)));

            CifarDataset dataset =
                    sources(Optional.empty(), Optional.of(url), md5).resolve(DatasetSpec.of("cifar10"));
            assertEquals(100, dataset.trainCount());
            assertEquals(md5, Checksums.md5Hex(dataDir.resolve(CifarFormat.ARCHIVE)));
            assertEquals(2, hits.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void syntheticIsGeneratedOnceAndSaysSo() {
        CifarSources sources = sources(Optional.empty(), Optional.empty(), md5);
        CifarDataset dataset = sources.resolve(DatasetSpec.of("synthetic"));
        assertTrue(dataset.synthetic());
        assertEquals("synthetic", dataset.dataset());
        assertEquals(70, dataset.trainCount());
        assertEquals(30, dataset.testCount());
        assertTrue(dataset.folder().startsWith(dataDir.resolve("synthetic")));
        CifarDataset again = sources(Optional.empty(), Optional.empty(), md5).resolve(DatasetSpec.of("synthetic"));
        assertEquals(dataset.fingerprint(), again.fingerprint());
    }

    @Test
    void requestLocationsAreRefusedUnlessAllowed() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> sources(Optional.empty(), Optional.empty(), md5)
                        .resolve(new DatasetSpec("cifar10", archive.toString())));
        assertEquals("dataset.location", e.field());
        CifarSources open = new CifarSources(new CifarSources.Settings(
                dataDir,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(md5),
                20,
                Duration.ofSeconds(30),
                7,
                3,
                0,
                true));
        assertEquals(
                100,
                open.resolve(new DatasetSpec("cifar10", archive.toString())).trainCount());
    }

    private static void assertNoDatasetIn(Path dataDir) {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no file may be left behind in " + dataDir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
