package dev.tlab.trainer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.datafiles.Checksums;
import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /plan} answers every bad input with a 400 naming the field and the reason, never a 500; it wants its
 * token, keeps to the bounds of a request, and reads models only from where the trainer allows (no file oracle, no
 * request to a host the trainer was not told to use).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PlanResourceTest {
    private static final String MODEL = "../models/resnet18-narrow.pt";
    /** The trainer's %test.tlab.trainer.plan-token. */
    static final String TOKEN = "trainer-test-plan-token";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"strategy": ["full"]}                                             | strategy                     | unknown field
            {"strategies": [null]}                                             | strategies[0]                | must not be null
            {"strategies": [1.5]}                                              | strategies[0]                | wrong type
            {"headPatterns": [" "]}                                            | headPatterns[0]              | must not be blank
            {"headPatterns": ["classifier.*"]}                                 | headPatterns[0]              | matches no parameter
            {"strategies": [{"name": "typo", "trainable": ["layer5.*"]}]}      | strategies[0].trainable[0]   | matches no parameter
            {"strategies": ["full", {"name": "t", "trainable": ["fc.*", "layr4.*"]}]} | strategies[1].trainable[1] | 'layr4.*'
            {"model": {"uri": ""}}                                             | model.uri                    | must not be blank
            {"model": {"uri": "/nowhere/resnet18.pt"}}                         | model.uri                    | is not inside a folder this trainer loads models from
            {"model": {"uri": "file:///nowhere/resnet18.pt"}}                  | model.uri                    | is not inside a folder this trainer loads models from
            {"model": {"uri": "../models/missing.pt"}}                         | model.uri                    | does not exist
            {"model": {"uri": "file:::"}}                                      | model.uri                    | not a valid path
            {"model": {"uri": "http://[bad/model.pt"}}                         | model.uri                    | not a valid path or URL
            {"model": {"uri": "http://127.0.0.1:1/model.pt"}}                  | model.uri                    | are not allowed on this trainer
            {"model": {"uri": "https://huggingface.co/x/model.pt", "sha256": "%s"}} | model.uri               | are not allowed on this trainer
            {"model": {"uri": "djl://ai.djl.nowhere/nothing"}}                 | model.uri                    | not allowed on this trainer
            {"model": {"uri": "pom.xml"}}                                      | model.uri                    | is not inside a folder
            {"model": {"uri": "../models/resnet18-narrow.pt", "sha256": "%s"}} | model.sha256 | does not have the sha256
            {"model": {"uri": "../models/resnet18-narrow.pt", "sha256": "ABC"}} | model.sha256 | 64 lower-case
            {"precision": "fp8"}                                               | precision                    | unknown precision 'fp8'
            {"precision": "fp16"}                                              | precision                    | fp16 trains only on a GPU and this trainer runs on cpu()
            """)
    void badInputIsA400NamingTheField(String body, String field, String reason) {
        plan(body.replace("%s", "0".repeat(64)))
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", is(400))
                .body("field", is(field))
                .body("reason", containsString(reason));
    }

    @Test
    void withoutTheTokenNothingIsPlanned() {
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/plan")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("field", is("Authorization"))
                .body("reason", containsString("tlab.trainer.plan-token"));
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TOKEN + "x")
                .body("{}")
                .post("/plan")
                .then()
                .statusCode(401)
                .body("reason", is("wrong bearer token"));
    }

    @Test
    void anEmptyBodyIsRefused() {
        plan("").statusCode(400).body("field", is("body"));
        plan("{}").statusCode(200).body("strategy", contains("freeze", "partial", "full"));
    }

    @Test
    void aThousandStrategiesAreRefusedBeforeAnyModelIsLoaded() {
        StringBuilder strategies = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            strategies
                    .append(i == 0 ? "" : ",")
                    .append("{\"name\":\"s")
                    .append(i)
                    .append("\",\"trainable\":[\"fc.*\"]}");
        }
        plan("{\"model\": {\"uri\": \"/nowhere.pt\"}, \"strategies\": [" + strategies + "]}")
                .statusCode(400)
                .body("field", is("strategies"))
                .body("reason", is("at most 16 strategies (tlab.trainer.limits.max-strategies), was 1000"));
    }

    /** Issue 25's oracle: a file outside the model folders gives away neither its digest nor whether it exists. */
    @Test
    void aFileOutsideTheModelFoldersIsNoOracle() throws IOException {
        String passwd = Files.isRegularFile(Path.of("/etc/passwd")) ? Checksums.sha256Hex(Path.of("/etc/passwd")) : "-";
        String existing = plan("{\"model\":{\"uri\":\"/etc/passwd\",\"sha256\":\"" + "0".repeat(64) + "\"}}")
                .statusCode(400)
                .body("field", is("model.uri"))
                .extract()
                .path("reason");
        String missing = plan("{\"model\":{\"uri\":\"/etc/no-such-file\",\"sha256\":\"" + "0".repeat(64) + "\"}}")
                .statusCode(400)
                .extract()
                .path("reason");
        assertFalse(existing.contains(passwd), existing);
        assertEquals(existing.replace("/etc/passwd", "F"), missing.replace("/etc/no-such-file", "F"));
    }

    /** Issue 25's SSRF: an http location on a host the trainer was not told to use is never contacted. */
    @Test
    void aHostNotAllowedIsNeverContacted() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/internal/model.pt";
            plan("{\"model\":{\"uri\":\"" + uri + "\",\"sha256\":\"" + "0".repeat(64) + "\"}}")
                    .statusCode(400)
                    .body("field", is("model.uri"))
                    .body("reason", containsString("tlab.trainer.model-hosts is empty"));
            assertEquals(0, requests.get(), "the server saw no request");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aZipThatIsNotTorchScriptIsA400() throws IOException {
        Path zip = Files.createTempFile(Path.of("target"), "not-torchscript", ".pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("hello.txt"));
            out.write("not a model".getBytes());
        }
        plan("{\"model\": {\"uri\": \"" + zip.toAbsolutePath() + "\"}}")
                .statusCode(400)
                .body("field", is("model.uri"))
                .body("reason", containsString("could not be loaded as TorchScript"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() throws IOException {
        String glob = "x".repeat(1 << 20);
        plan("{\"strategies\": [{\"name\": \"big\", \"trainable\": [\"" + glob + "\"]}]}")
                .statusCode(413);
    }

    @Test
    void aGoodRequestIsPlanned() {
        plan("{\"model\": {\"uri\": \"" + MODEL + "\"}, \"strategies\": [\"freeze\", {\"name\": \"top\","
                        + " \"trainable\": [\"layer4.*\", \"fc.*\"]}], \"headPatterns\": [\"fc.*\"]}")
                .statusCode(200)
                .body("strategy", org.hamcrest.Matchers.contains("freeze", "top"));
    }

    @Test
    void aCpuTrainerPlansInBfloat16AndFloat32() {
        for (String precision : new String[] {"bf16", "fp32"}) {
            plan("{\"model\": {\"uri\": \"" + MODEL + "\"}, \"strategies\": [\"freeze\"], \"precision\": \"" + precision
                            + "\"}")
                    .statusCode(200)
                    .body("strategy", org.hamcrest.Matchers.contains("freeze"));
        }
    }

    static ValidatableResponse plan(String body) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TOKEN)
                .body(body)
                .post("/plan")
                .then();
    }
}
