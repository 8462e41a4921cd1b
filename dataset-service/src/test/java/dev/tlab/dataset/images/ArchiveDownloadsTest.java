package dev.tlab.dataset.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.api.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's https archive ({@code dataset.source.url}) is fetched only from the operator's origins and never from an
 * internal address unless allowed, within its byte bound, each redirect checked like the first URL, kept only when its
 * bytes have the announced sha256 and are an archive; a second request for the same bytes is served from the store.
 * Real HTTP: a local server (an http origin, as the settings allow for an in-cluster mirror) counts what it is asked.
 */
class ArchiveDownloadsTest {
    private static final byte[] ARCHIVE = zip();
    private static final String SHA256 = sha256(ARCHIVE);

    @TempDir
    Path storeRoot;

    private HttpServer server;
    private HttpServer elsewhere;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger servedElsewhere = new AtomicInteger();

    @BeforeEach
    void servers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pets.zip", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, ARCHIVE.length);
            exchange.getResponseBody().write(ARCHIVE);
            exchange.close();
        });
        server.createContext("/notes.txt", exchange -> {
            served.incrementAndGet();
            byte[] text = "not an archive".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, text.length);
            exchange.getResponseBody().write(text);
            exchange.close();
        });
        server.start();
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            servedElsewhere.incrementAndGet();
            exchange.sendResponseHeaders(200, ARCHIVE.length);
            exchange.getResponseBody().write(ARCHIVE);
            exchange.close();
        });
        elsewhere.start();
        server.createContext("/moved.zip", exchange -> {
            served.incrementAndGet();
            exchange.getResponseHeaders().add("Location", origin(elsewhere) + "/pets.zip");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
        elsewhere.stop(0);
    }

    private ArchiveDownloads downloads(boolean privateAddresses, long maxBytes) {
        return new ArchiveDownloads(
                new ArchiveDownloads.Settings(
                        ArchiveDownloads.Settings.origins(List.of(origin(server))),
                        privateAddresses,
                        maxBytes,
                        Duration.ofSeconds(20)),
                new ImageStore(storeRoot),
                ArchiveDownloads.client());
    }

    @Test
    void anAllowedArchiveIsKeptUnderItsDigestAndFetchedOnce() throws IOException {
        ArchiveDownloads downloads = downloads(true, 1 << 20);
        Path kept = downloads.fetch(origin(server) + "/pets.zip", SHA256);
        assertArrayEquals(ARCHIVE, Files.readAllBytes(kept));
        assertTrue(kept.getFileName().toString().startsWith(SHA256), kept.toString());
        assertEquals(kept, downloads.fetch(origin(server) + "/pets.zip", SHA256));
        assertEquals(1, served.get(), "the second request is served from the store");
    }

    @Test
    void aHostTheOperatorDidNotAllowIsNeverAsked() {
        ApiException e = assertThrows(
                ApiException.class, () -> downloads(true, 1 << 20).fetch(origin(elsewhere) + "/pets.zip", SHA256));
        assertEquals(400, e.status());
        assertEquals("dataset.source.url", e.field());
        assertTrue(e.reason().contains("not allowed"), e.reason());
        assertEquals(0, servedElsewhere.get());
    }

    @Test
    void anInternalAddressIsRefusedUnlessAllowedEvenForAnAllowedHost() {
        ApiException e = assertThrows(
                ApiException.class, () -> downloads(false, 1 << 20).fetch(origin(server) + "/pets.zip", SHA256));
        assertEquals(400, e.status());
        assertEquals("dataset.source.url", e.field());
        assertTrue(e.reason().contains("private-addresses=false"), e.reason());
        assertEquals(0, served.get());
    }

    @Test
    void aRedirectToAnotherOriginIsCheckedLikeTheFirstUrl() {
        ApiException e = assertThrows(
                ApiException.class, () -> downloads(true, 1 << 20).fetch(origin(server) + "/moved.zip", SHA256));
        assertEquals(400, e.status());
        assertEquals("dataset.source.url", e.field());
        assertEquals(1, served.get());
        assertEquals(0, servedElsewhere.get(), "the redirect's target is never asked");
    }

    @Test
    void otherBytesThanTheDigestAreRefusedAndNotKept() throws IOException {
        String wrong = "0".repeat(64);
        ApiException e = assertThrows(
                ApiException.class, () -> downloads(true, 1 << 20).fetch(origin(server) + "/pets.zip", wrong));
        assertEquals(400, e.status());
        assertEquals("dataset.source.sha256", e.field());
        assertTrue(e.reason().contains(SHA256), "says what the bytes' digest is: " + e.reason());
        assertStoreHoldsNoArchive();
    }

    @Test
    void anArchiveOverTheByteBoundIsRefusedNamingTheKeyAndNotKept() throws IOException {
        ApiException e = assertThrows(
                ApiException.class,
                () -> downloads(true, ARCHIVE.length - 1).fetch(origin(server) + "/pets.zip", SHA256));
        assertEquals(503, e.status());
        assertTrue(e.reason().contains("download-max-bytes=" + (ARCHIVE.length - 1)), e.reason());
        assertStoreHoldsNoArchive();
    }

    @Test
    void bytesThatAreNoArchiveAreRefusedAndNotKept() throws IOException {
        byte[] text = "not an archive".getBytes(StandardCharsets.UTF_8);
        ApiException e = assertThrows(
                ApiException.class, () -> downloads(true, 1 << 20).fetch(origin(server) + "/notes.txt", sha256(text)));
        assertEquals(400, e.status());
        assertEquals("dataset.source.url", e.field());
        assertTrue(e.reason().contains("not a zip, tar or tar.gz archive"), e.reason());
        assertStoreHoldsNoArchive();
    }

    private void assertStoreHoldsNoArchive() throws IOException {
        Path archives = new ImageStore(storeRoot).incoming();
        if (Files.isDirectory(archives)) {
            try (Stream<Path> files = Files.list(archives)) {
                assertFalse(files.findAny().isPresent(), "nothing is kept in " + archives);
            }
        }
    }

    private static String origin(HttpServer s) {
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort()).toString();
    }

    private static byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("cat/a.png"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
