package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static dev.tlab.dataset.api.PublishedEvents.manifestRecord;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ImageIndex;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.Checksums;
import dev.tlab.dataset.testing.PlannerStandIn;
import dev.tlab.images.SyntheticImages;
import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user's own images through the running service, its real broker and a real HTTP planner stand-in: a folder under
 * the configured image root (%test: target/image-roots) or an uploaded zip becomes a version-2 manifest whose index and
 * images the service serves by digest, and jobs whose plan check carried the dataset's class count.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PlannerStandIn.class)
class ImageDatasetsTest {
    @TestHTTPResource("/")
    URL base;

    private int port;

    @BeforeEach
    void port() {
        port = base.getPort();
    }

    private static final Path ROOT = Path.of("target/image-roots");
    private static final List<String> CLASSES = List.of("bird", "cat", "dog");

    /** Three classes (written in another order than code-point order), ten images each of unequal sizes. */
    private static Path folder(String name) throws IOException {
        Path folder = ROOT.resolve(name);
        long seed = 0;
        for (String c : List.of("dog", "bird", "cat")) {
            Files.createDirectories(folder.resolve(c));
            for (int i = 0; i < 10; i++) {
                seed++;
                byte[] jpeg = SyntheticImages.jpeg(
                        SyntheticImages.photo(40 + (int) (seed % 7) * 5, 30 + (int) (seed % 5) * 4, seed), 0.9f);
                Files.write(folder.resolve(c).resolve(c + "-" + i + ".jpg"), jpeg);
            }
        }
        return folder;
    }

    private static String request(UUID id, String strategy, String source) {
        return "{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"images\", \"source\": " + source
                + "}, \"strategies\": [{\"name\": \"" + strategy + "\", \"trainable\": [\"fc.*\"]}]}";
    }

    @Test
    void aFolderUnderTheRootsBecomesAManifestOfImagesWhoseIndexAndImagesAreServedByDigest() throws IOException {
        String name = "pets-" + UUID.randomUUID().toString().substring(0, 8);
        folder(name);
        UUID id = UUID.randomUUID();
        String strategy = "own-" + name;
        given().contentType(ContentType.JSON)
                .body(request(id, strategy, "{\"location\": \"" + name + "\"}"))
                .post("/experiments")
                .then()
                .statusCode(202);

        TrainingJob job = EventCodec.fromJson(jobsOf(id, 1).get(0).value(), TrainingJob.class);
        assertEquals("images", job.dataset());
        DatasetManifest manifest =
                EventCodec.fromJson(manifestRecord(job.manifestId()).value(), DatasetManifest.class);
        assertTrue(manifest.ofImages());
        assertEquals(DatasetManifest.IMAGES_SCHEMA_VERSION, manifest.schemaVersion());
        assertEquals(CLASSES, manifest.classNames(), "class names in code-point order");
        assertEquals(30, manifest.images().totals().images());

        List<PlannerStandIn.Call> plans = PlannerStandIn.callsMentioning(strategy);
        assertEquals(1, plans.size());
        assertTrue(
                plans.get(0).body().contains("\"numClasses\":3"), plans.get(0).body());

        // the URLs name the configured public URL; the test server listens where Quarkus put it
        String indexPath = java.net.URI.create(manifest.images().index().url()).getPath();
        assertEquals("/manifests/" + manifest.manifestId() + "/index", indexPath);
        Response index = given().get(indexPath);
        assertEquals(200, index.statusCode(), index.asString());
        byte[] indexBytes = index.asByteArray();
        assertEquals(manifest.images().index().sha256(), index.header("X-Content-SHA256"));
        assertEquals(manifest.images().index().sha256(), Checksums.sha256Hex(indexBytes));
        ImageIndex images = EventCodec.fromBytes(indexBytes, ImageIndex.class);
        assertEquals(manifest.subsetSize(), images.subset().size());
        assertEquals(manifest.testCount(), images.test().size());
        assertTrue(images.val().size() > 0, "the validation split is carried");

        ImageIndex.Image first = images.subset().get(0);
        String base = indexPath.replaceFirst("/index$", "");
        Response image = given().get(base + "/images/" + first.sha256());
        assertEquals(200, image.statusCode());
        assertEquals(first.sha256(), Checksums.sha256Hex(image.asByteArray()));
        assertEquals(first.bytes(), image.asByteArray().length);

        // a digest the manifest does not list is not served, though the store may hold it
        given().get(base + "/images/" + "0".repeat(64)).then().statusCode(404).body("field", is("sha256"));
        given().get(base + "/train").then().statusCode(404).body("field", is("id"));

        // a stored image whose bytes no longer hash to its name is never served: 503, the metric counts it
        ImageIndex.Image second = images.subset().get(1);
        Path object =
                new dev.tlab.dataset.images.ImageStore(Path.of("target/tlab-data/images")).object(second.sha256());
        byte[] original = Files.readAllBytes(object);
        object.toFile().setWritable(true);
        try {
            Files.write(object, new byte[] {1, 2, 3});
            Response damaged = given().get(base + "/images/" + second.sha256());
            assertEquals(503, damaged.statusCode(), damaged.asString());
            assertEquals("dataset", damaged.jsonPath().getString("field"));
        } finally {
            Files.write(object, original); // the store is shared with the other tests of this class (same seeds)
        }
        given().get(base + "/images/" + second.sha256()).then().statusCode(200);
    }

    @Test
    void aLocationOutsideTheRootsOrMissingIsRefusedNamingTheField() {
        for (String location : List.of("../../pom.xml", "/etc", "no-such-folder-" + UUID.randomUUID())) {
            given().contentType(ContentType.JSON)
                    .body(request(UUID.randomUUID(), "x", "{\"location\": \"" + location + "\"}"))
                    .post("/experiments")
                    .then()
                    .statusCode(400)
                    .body("field", is("dataset.source.location"));
        }
    }

    @Test
    void tooFewImagesForTheSubsetIsRefusedNamingSamplesPerClass() throws IOException {
        String name = "few-" + UUID.randomUUID().toString().substring(0, 8);
        folder(name);
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": {\"name\": \"images\", \"source\": {\"location\": \"" + name + "\"}},"
                        + " \"subset\": {\"name\": \"first-per-class\", \"samplesPerClass\": 50},"
                        + " \"strategies\": [\"freeze\"]}")
                .post("/experiments")
                .then()
                .statusCode(400)
                .body("field", is("subset.samplesPerClass"));
    }

    @Test
    void anEpochSelectionOnADatasetWithoutValidationImagesIsRefusedNamingTheSelection() throws IOException {
        String name = "noval-" + UUID.randomUUID().toString().substring(0, 8);
        folder(name);
        String dataset = "{\"name\": \"images\", \"source\": {\"location\": \"" + name + "\"}";
        String selection = ", \"strategies\": [\"freeze\"], \"hyperParameters\": {\"imageSize\": 32,"
                + " \"selection\": {\"metric\": \"valLoss\", \"patience\": 2}}}";
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": " + dataset + ", \"split\": {\"val\": 0.0, \"test\": 0.3}}" + selection)
                .post("/experiments")
                .then()
                .statusCode(400)
                .body("field", is("hyperParameters.selection"))
                .body("reason", containsString("val split is empty"));
        // the same dataset with its default validation fraction is accepted
        given().contentType(ContentType.JSON)
                .body("{\"dataset\": " + dataset + "}" + selection)
                .post("/experiments")
                .then()
                .statusCode(202);
    }

    private static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // a note unique to this archive, so that a store kept from an earlier run does not hold it yet
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (String c : CLASSES) {
                for (int i = 0; i < 10; i++) {
                    String entry = c + "/" + c + "-" + i + ".jpg";
                    ZipEntry e = new ZipEntry(entry);
                    e.setTime(0);
                    zip.putNextEntry(e);
                    zip.write(Files.readAllBytes(folder.resolve(entry)));
                    zip.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void anUploadIsKeptByItsDigestOnceSummarisedAndUsableByAnExperiment() throws IOException {
        byte[] archive = zip(folder("zip-" + UUID.randomUUID().toString().substring(0, 8)));
        String sha256 = Checksums.sha256Hex(archive);
        given().body(archive)
                .contentType("application/zip")
                .post("/datasets?sha256=" + sha256)
                .then()
                .statusCode(201)
                .header("Location", "/datasets/" + sha256)
                .body("id", is(sha256))
                .body("classes", is(CLASSES))
                .body("images", is(30));
        given().body(archive)
                .contentType("application/zip")
                .post("/datasets?sha256=" + sha256)
                .then()
                .statusCode(200)
                .body("created", is(false));
        given().get("/datasets/" + sha256).then().statusCode(200).body("classes", is(CLASSES));
        given().get("/datasets/" + "a".repeat(64)).then().statusCode(404).body("field", is("id"));

        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(request(id, "up-" + id, "{\"upload\": \"" + sha256 + "\"}"))
                .post("/experiments")
                .then()
                .statusCode(202);
        TrainingJob job = EventCodec.fromJson(jobsOf(id, 1).get(0).value(), TrainingJob.class);
        DatasetManifest manifest =
                EventCodec.fromJson(manifestRecord(job.manifestId()).value(), DatasetManifest.class);
        assertEquals(CLASSES, manifest.classNames());
    }

    @Test
    void anUploadWhoseBytesAreNotTheAnnouncedDigestIsRefusedAndNotKept() throws IOException {
        byte[] archive = zip(folder("bad-" + UUID.randomUUID().toString().substring(0, 8)));
        String wrong = Checksums.sha256Hex(new byte[] {1, 2, 3});
        given().body(archive)
                .contentType("application/zip")
                .post("/datasets?sha256=" + wrong)
                .then()
                .statusCode(400)
                .body("field", is("sha256"));
        given().get("/datasets/" + wrong).then().statusCode(404);
        given().body(archive)
                .contentType("application/zip")
                .post("/datasets")
                .then()
                .statusCode(400)
                .body("field", is("sha256"));
    }

    /**
     * Over a raw socket, as a client that sends its whole body before it reads: a small upload refused for its missing
     * sha256 is read to its end first, answered, and the connection stays usable (before, the service closed it at
     * once, and Apache's HttpClient could see a broken pipe instead of the 400).
     */
    @Test
    void aSmallUploadRefusedBeforeItsBodyIsAnsweredAfterItAndTheConnectionStaysOpen() throws IOException {
        byte[] body = new byte[200_000];
        String answers;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            out.write(("POST /datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/zip\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(("GET /datasets/" + "e".repeat(64) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answers.startsWith("HTTP/1.1 400"), answers);
        assertTrue(answers.contains("\"field\":\"sha256\""), answers);
        assertTrue(answers.contains("HTTP/1.1 404"), "the second request on the same connection: " + answers);
    }

    /**
     * Over a raw socket: the service answers as soon as the announced length passes the limit, without reading the
     * body, and closes the connection (an HTTP client that keeps sending sees a broken pipe instead of the answer).
     */
    @Test
    void anUploadAnnouncingMoreThanTheLimitIsRefusedWith413NamingTheKeyBeforeItsBody() throws IOException {
        String sha256 = "c".repeat(64);
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write(("POST /datasets?sha256=" + sha256 + " HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/zip\r\nContent-Length: 4000001\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"field\":\"body\""), answer);
        assertTrue(answer.contains("tlab.dataset.images.max-upload-bytes"), answer);
        given().get("/datasets/" + sha256).then().statusCode(404);
    }

    @Test
    void anUploadThatSendsMoreThanTheLimitWithoutAnnouncingItIsRefusedWith413AndNothingIsKept() throws Exception {
        String sha256 = "d".repeat(64);
        int size = 4_000_001; // one byte over this profile's tlab.dataset.images.max-upload-bytes
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            // chunked: no Content-Length announces the size, so only the count of what arrives can stop it; the
            // writer sends exactly one byte too many and then nothing, so the service has read all of it when it
            // answers and closes
            Thread writer = new Thread(() -> {
                try {
                    var out = socket.getOutputStream();
                    out.write(("POST /datasets?sha256=" + sha256 + " HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/zip\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + Integer.toHexString(size) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] block = new byte[64 * 1024];
                    for (int sent = 0; sent < size; sent += block.length) {
                        out.write(block, 0, Math.min(block.length, size - sent));
                    }
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    // the service may close as soon as it has answered
                }
            });
            writer.start();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            writer.join(30_000);
        }
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"field\":\"body\""), answer);
        assertTrue(answer.contains("sent more"), answer);
        assertTrue(answer.contains("tlab.dataset.images.max-upload-bytes"), answer);
        given().get("/datasets/" + sha256).then().statusCode(404);
        Path incoming = Path.of("target/tlab-data/images/archives");
        for (int i = 0; i < 50 && leftovers(incoming) > 0; i++) {
            Thread.sleep(100); // the partial file is deleted once the service has closed it
        }
        assertEquals(0, leftovers(incoming), "no partial upload is left in " + incoming);
    }

    private static long leftovers(Path incoming) throws IOException {
        if (!Files.isDirectory(incoming)) {
            return 0;
        }
        try (var files = Files.list(incoming)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".upload"))
                    .count();
        }
    }

    @Test
    void anUploadThatIsNoArchiveOfImagesIsRefusedNamingTheBody() {
        byte[] junk = "not an archive".getBytes(StandardCharsets.UTF_8);
        String sha256 = Checksums.sha256Hex(junk);
        Response response = given().body(junk).contentType("application/zip").post("/datasets?sha256=" + sha256);
        assertNotEquals(500, response.statusCode());
        assertEquals(400, response.statusCode(), response.asString());
        assertEquals("body", response.jsonPath().getString("field"));
        given().get("/datasets/" + sha256).then().statusCode(404);
    }
}
