package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.cli.upload.ReproducibleTar;
import dev.tlab.datafiles.Checksums;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab dataset upload} against a dataset service's answers over real HTTP: what it sends, what it exits with.
 */
class DatasetUploadCommandTest {
    private record Received(String method, String uri, String authorization, String contentType, byte[] body) {}

    private HttpServer server;
    private volatile int status;
    private volatile String answer;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private String out;
    private String err;

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
            String text = answer.replace("$SHA", Checksums.sha256Hex(body)).replace("$BYTES", "" + body.length);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static final String SUMMARY = "{\"id\":\"$SHA\",\"bytes\":$BYTES,\"kind\":\"tar\",\"created\":true,"
            + "\"layout\":\"class-folders\",\"classes\":[\"cat\",\"dog\"],"
            + "\"splits\":[{\"name\":\"train\",\"perClass\":[2,1]}],\"images\":3,\"rejectCount\":1,"
            + "\"rejects\":[{\"path\":\"dog/bad.jpg\",\"reason\":\"undecodable\",\"detail\":\"not a JPEG\"}],"
            + "\"ignored\":[{\"reason\":\"hidden\",\"count\":1,\"examples\":[\".DS_Store\"]}]}";

    private int upload(int answerStatus, String answerBody, String... args) {
        status = answerStatus;
        answer = answerBody;
        List<String> all = new ArrayList<>(List.of("dataset", "upload"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--dataset-url", "http://127.0.0.1:" + server.getAddress().getPort()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            return Lab.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }

    private Path pets() throws IOException {
        Path root = temp.resolve("pets");
        for (String file : List.of("dog/1.jpg", "cat/1.jpg", "cat/2.jpg")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), "pixels of " + file);
        }
        return root;
    }

    @Test
    void aFolderIsSentPackedWithItsSha256AndTheTokenAndTheIdAndSummaryArePrinted() throws IOException {
        Path pets = pets();
        Path tokenFile = Files.writeString(temp.resolve("trigger-token"), "s3cret\n");
        assertEquals(ExitCodes.OK, upload(201, SUMMARY, pets.toString(), "--token-file", tokenFile.toString()), err);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ReproducibleTar.write(pets, expected);
        String sha256 = Checksums.sha256Hex(expected.toByteArray());
        assertEquals(1, received.size());
        Received request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals("/datasets?sha256=" + sha256, request.uri());
        assertEquals("Bearer s3cret", request.authorization());
        assertEquals("application/octet-stream", request.contentType());
        assertArrayEquals(expected.toByteArray(), request.body(), "the body is the reproducible tar of the folder");

        String[] lines = out.split("\n");
        assertEquals(sha256, lines[0], "the id alone on the first line, for scripts: " + out);
        assertTrue(out.contains("classes   2 (by label): cat, dog"), out);
        assertTrue(out.contains("train     cat 2, dog 1"), out);
        assertTrue(out.contains("3 usable, 1 rejected"), out);
        assertTrue(out.contains("rejected dog/bad.jpg: undecodable (not a JPEG)"), out);
        assertTrue(out.contains("\"upload\": \"" + sha256 + "\""), out);

        // the same folder again: the same bytes, the same id
        assertEquals(
                ExitCodes.OK, upload(200, SUMMARY.replace("\"created\":true", "\"created\":false"), pets.toString()));
        assertEquals(request.uri(), received.get(1).uri());
        assertTrue(out.contains("the same bytes were stored already"), out);
    }

    @Test
    void anArchiveIsSentAsItIs() throws IOException {
        byte[] zip = "PK\3\4 not really a zip, the service decides".getBytes(StandardCharsets.ISO_8859_1);
        Path archive = Files.write(temp.resolve("Pets.ZIP"), zip);
        assertEquals(ExitCodes.OK, upload(201, SUMMARY, archive.toString(), "--token", "given"), err);
        assertArrayEquals(zip, received.get(0).body());
        assertEquals(
                "/datasets?sha256=" + Checksums.sha256Hex(zip), received.get(0).uri());
        assertEquals("Bearer given", received.get(0).authorization());
    }

    @Test
    void aRefusalIsExitTwoNamingTheFieldAndTheReason() throws IOException {
        String limit = "{\"status\":413,\"field\":\"body\",\"reason\":\"the upload announces 99 bytes, more than 10"
                + " bytes (tlab.dataset.images.max-upload-bytes)\"}";
        assertEquals(ExitCodes.USAGE, upload(413, limit, pets().toString()));
        assertTrue(err.contains("refused (413): body: the upload announces 99 bytes"), err);
        assertTrue(err.contains("tlab.dataset.images.max-upload-bytes"), err);
        assertEquals("", out, "no id for a refused upload");

        String token = "{\"status\":401,\"field\":\"Authorization\",\"reason\":\"a bearer token is required\"}";
        assertEquals(ExitCodes.USAGE, upload(401, token, pets().toString()));
        assertTrue(err.contains("Authorization: a bearer token is required"), err);
        assertTrue(err.contains("--token"), "says how to give one: " + err);

        assertEquals(ExitCodes.UNREACHABLE, upload(500, "{\"reason\":\"disk full\"}", pets().toString()));
        assertTrue(err.contains("disk full"), err);
    }

    @Test
    void whatIsNeitherAFolderNorAnArchiveIsRefusedBeforeAnythingIsSent() throws IOException {
        Path text = Files.writeString(temp.resolve("notes.txt"), "hello");
        assertEquals(ExitCodes.USAGE, upload(201, SUMMARY, text.toString()));
        assertTrue(err.contains("neither a folder nor a .zip, .tar, .tar.gz or .tgz"), err);
        assertEquals(
                ExitCodes.USAGE, upload(201, SUMMARY, temp.resolve("missing").toString()));
        assertTrue(err.contains("does not exist"), err);

        Path pets = pets();
        Files.createSymbolicLink(pets.resolve("cat/3.jpg"), text);
        assertEquals(ExitCodes.USAGE, upload(201, SUMMARY, pets.toString()));
        assertTrue(err.contains("symbolic link") && err.contains("3.jpg"), err);
        assertEquals(0, received.size(), "nothing was sent");
    }

    @Test
    void anUnreachableServiceIsExitThree() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        List<String> args =
                List.of("dataset", "upload", pets().toString(), "--dataset-url", "http://127.0.0.1:" + closed);
        assertEquals(ExitCodes.UNREACHABLE, Lab.execute(args.toArray(String[]::new)));
    }
}
