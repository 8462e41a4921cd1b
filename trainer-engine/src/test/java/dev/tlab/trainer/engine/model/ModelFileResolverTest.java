package dev.tlab.trainer.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.sun.net.httpserver.HttpServer;
import dev.tlab.datafiles.Checksums;
import dev.tlab.trainer.engine.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models only from where the operator allows: files inside the model folders (no link or {@code ..} out of them),
 * downloads only from allowed origins with their sha256, never from internal addresses unless allowed, bounded, and a
 * download that is no model is not kept. Real files and a real HTTP server on the loopback.
 */
class ModelFileResolverTest {
    private static final String SHA256_OF_X = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

    @TempDir
    Path dir;

    private Path models;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        models = Files.createDirectories(dir.resolve("models"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/away")) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            byte[] body = path.endsWith("/model.pt")
                    ? Files.readAllBytes(TestData.narrowModel())
                    : "not a model at all".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ModelFileResolver resolver(ModelAccess access) {
        return new ModelFileResolver(dir.resolve("cache"), false, access);
    }

    private ModelAccess folders() {
        return ModelAccess.folders(models);
    }

    private ModelAccess serverAllowed(boolean privateAddresses, long maxBytes) {
        return new ModelAccess(
                List.of(models),
                ModelAccess.origins(List.of(origin())),
                privateAddresses,
                maxBytes,
                Duration.ofSeconds(30));
    }

    private String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void localPathsAndFileUrisInsideTheFolders() throws Exception {
        Path model = Files.writeString(models.resolve("m.pt"), "x");
        ModelFileResolver r = resolver(folders());
        assertEquals(model.toRealPath(), r.resolve(ModelSource.of(model.toString())));
        assertEquals(model.toRealPath(), r.resolve(ModelSource.of(model.toUri().toString())));
        assertEquals(model.toRealPath(), r.resolve(new ModelSource(model.toString(), SHA256_OF_X)));
    }

    @Test
    void outsideTheFoldersNothingIsReadAndExistenceIsNotRevealed() throws Exception {
        ModelFileResolver r = resolver(folders());
        Path secret = Files.writeString(dir.resolve("secret.txt"), "x");
        ModelUnavailableException exists = refused(r, new ModelSource(secret.toString(), "0".repeat(64)));
        ModelUnavailableException missing =
                refused(r, new ModelSource(dir.resolve("nothing.txt").toString(), null));
        ModelUnavailableException passwd = refused(r, new ModelSource("/etc/passwd", "0".repeat(64)));
        for (ModelUnavailableException e : List.of(exists, missing, passwd)) {
            assertEquals("model.uri", e.field());
            assertTrue(
                    e.getMessage().contains("is not inside a folder this trainer loads models from"), e.getMessage());
            assertFalse(e.getMessage().contains(SHA256_OF_X), "no digest of a file outside the folders");
            assertFalse(e.getMessage().contains("does not exist"), e.getMessage());
        }
        assertEquals(
                exists.getMessage().replace(secret.toString(), "PATH"),
                missing.getMessage().replace(dir.resolve("nothing.txt").toString(), "PATH"),
                "an existing and a missing file outside the folders are refused with the same words");
    }

    @Test
    void dotDotAndSymbolicLinksDoNotLeadOut() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "x");
        ModelFileResolver r = resolver(folders());
        refused(r, ModelSource.of(models.resolve("../secret.txt").toString()));
        Path link = Files.createSymbolicLink(models.resolve("innocent.pt"), dir.resolve("secret.txt"));
        ModelUnavailableException e = refused(r, new ModelSource(link.toString(), SHA256_OF_X));
        assertTrue(e.getMessage().contains("is not inside a folder"), e.getMessage());
    }

    @Test
    void aWrongChecksumInsideTheFoldersIsRefusedWithoutEchoingTheDigest() throws Exception {
        Path model = Files.writeString(models.resolve("m.pt"), "x");
        ModelUnavailableException e = refused(resolver(folders()), new ModelSource(model.toString(), "0".repeat(64)));
        assertEquals("model.sha256", e.field());
        assertTrue(e.getMessage().contains("does not have the sha256 " + "0".repeat(64)), e.getMessage());
        assertFalse(e.getMessage().contains(SHA256_OF_X), e.getMessage());
    }

    @Test
    void aHostNotAllowedIsNeverContacted() {
        ModelUnavailableException e =
                refused(resolver(folders()), new ModelSource(origin() + "/model.pt", "0".repeat(64)));
        assertTrue(
                e.getMessage().contains("are not allowed on this trainer (tlab.trainer.model-hosts"), e.getMessage());
        assertEquals(0, requests.get(), "the server saw no request");
    }

    @Test
    void anAllowedHostOnALoopbackAddressIsRefusedUnlessPrivateAddressesAreAllowed() {
        ModelUnavailableException e = refused(
                resolver(serverAllowed(false, 1 << 20)), new ModelSource(origin() + "/model.pt", "0".repeat(64)));
        assertTrue(
                e.getMessage().contains("resolves to 127.0.0.1, a loopback, link-local or private address"),
                e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void aDownloadNeedsItsSha256AndARedirectToAnOriginNotAllowedIsNotFollowed() {
        ModelFileResolver r = resolver(serverAllowed(true, 1 << 20));
        ModelUnavailableException noDigest = refused(r, ModelSource.of(origin() + "/model.pt"));
        assertEquals("model.sha256", noDigest.field());
        assertEquals(0, requests.get());
        ModelUnavailableException away = refused(r, new ModelSource(origin() + "/away", "0".repeat(64)));
        assertTrue(away.getMessage().contains("http://169.254.169.254"), away.getMessage());
        assertEquals(1, requests.get(), "the redirect itself was read, its target never contacted");
    }

    @Test
    void anAllowedDownloadIsVerifiedCachedAndBounded() throws Exception {
        String sha256 = Checksums.sha256Hex(TestData.narrowModel());
        Path file = resolver(serverAllowed(true, 1 << 20)).resolve(new ModelSource(origin() + "/model.pt", sha256));
        assertEquals(sha256, Checksums.sha256Hex(file));
        ModelUnavailableException big =
                refused(resolver(serverAllowed(true, 1000)), new ModelSource(origin() + "/again/model.pt", sha256));
        assertTrue(big.getMessage().contains("larger than the download's limit of 1000 bytes"), big.getMessage());
    }

    @Test
    void aDownloadedFileThatIsNoModelIsNotKept() throws Exception {
        String sha256 = Checksums.sha256Hex("not a model at all".getBytes(StandardCharsets.UTF_8));
        ModelLoader loader = new ModelLoader(resolver(serverAllowed(true, 1 << 20)));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(new ModelSource(origin() + "/notes.pt", sha256), Device.cpu()));
        assertTrue(e.getMessage().contains("not a TorchScript archive"), e.getMessage());
        try (Stream<Path> cached = Files.walk(dir.resolve("cache"))) {
            assertEquals(List.of(), cached.filter(Files::isRegularFile).toList(), "nothing left in the cache");
        }
    }

    @Test
    void aFileAnOperatorPutInTheCacheFolderIsNeverDropped() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path notes = Files.writeString(cache.resolve("notes.pt"), "not a model");
        ModelLoader loader = new ModelLoader(new ModelFileResolver(cache, false, ModelAccess.folders(cache)));
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class, () -> loader.load(ModelSource.of(notes.toString()), Device.cpu()));
        assertTrue(e.getMessage().contains("not a TorchScript archive"), e.getMessage());
        assertTrue(Files.isRegularFile(notes), "only the resolver's own downloads are dropped");
    }

    @Test
    void offlineModeNeverDownloads() {
        ModelFileResolver r = new ModelFileResolver(dir.resolve("cache"), true, serverAllowed(true, 1 << 20));
        ModelUnavailableException e = refused(r, new ModelSource(origin() + "/model.pt", "0".repeat(64)));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains("tlab.trainer.model-cache"), e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void theOriginsListReadsHostsAndOrigins() {
        assertEquals(
                List.of(
                        URI.create("https://huggingface.co:443"),
                        URI.create("http://127.0.0.1:8000"),
                        ModelAccess.MODEL_ZOO),
                ModelAccess.origins(List.of("HuggingFace.co", " http://127.0.0.1:8000/ignored", "djl://", "")));
        assertThrows(IllegalArgumentException.class, () -> ModelAccess.origins(List.of("ftp://x")));
    }

    @Test
    void internalAddresses() throws Exception {
        for (String a : List.of(
                "127.0.0.1",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "::1",
                "fd00::1",
                "fe80::1")) {
            assertTrue(ModelAccess.internal(InetAddress.getByName(a)), a);
        }
        for (String a : List.of("8.8.8.8", "140.82.112.3", "2606:4700::1111")) {
            assertFalse(ModelAccess.internal(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void noModelConfigured() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelSource.of(" "));
        assertTrue(e.getMessage().contains("export_resnet18.py"), e.getMessage());
    }

    private static ModelUnavailableException refused(ModelFileResolver r, ModelSource source) {
        return assertThrows(ModelUnavailableException.class, () -> r.resolve(source));
    }
}
