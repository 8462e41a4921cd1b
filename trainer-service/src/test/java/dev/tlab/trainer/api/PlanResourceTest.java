package dev.tlab.trainer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.tlab.kafka.test.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /plan} answers every bad input with a 400 naming the field and the reason, never a 500. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PlanResourceTest {
    private static final String MODEL = "../models/resnet18-narrow.pt";

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
            {"model": {"uri": "/nowhere/resnet18.pt"}}                         | model.uri                    | does not exist
            {"model": {"uri": "file:///nowhere/resnet18.pt"}}                  | model.uri                    | does not exist
            {"model": {"uri": "file:::"}}                                      | model.uri                    | not a valid path
            {"model": {"uri": "http://[bad/model.pt"}}                         | model.uri                    | not a valid path or URL
            {"model": {"uri": "http://127.0.0.1:1/model.pt"}}                  | model.uri                    | model
            {"model": {"uri": "http://127.0.0.1:1"}}                           | model.uri                    | model
            {"model": {"uri": "djl://ai.djl.nowhere/nothing"}}                 | model.uri                    | not found
            {"model": {"uri": "pom.xml"}}                                      | model.uri                    | not a TorchScript archive
            {"model": {"uri": "../models/resnet18-narrow.pt", "sha256": "%s"}} | model.sha256 | was expected
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

    private static ValidatableResponse plan(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/plan").then();
    }
}
