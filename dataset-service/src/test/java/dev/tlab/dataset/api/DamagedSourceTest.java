package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.deadLetter;
import static dev.tlab.dataset.api.PublishedEvents.failureOf;
import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A damaged source is refused everywhere: no manifest is built from it (also when only a full read can tell, at the
 * moment the manifest is built, after POST answered 202: then the experiment's failure is published), and the data of
 * existing manifests is not served. The test damages one pixel byte of the synthetic set the service generated under
 * target/ and restores it afterwards.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DamagedSourceTest {
    private static final Path BATCH = Path.of(
            "target/tlab-data/synthetic/ipc30-test10-seed0", CifarFormat.FOLDER, CifarFormat.TRAIN_FILES.get(0));
    /** A pixel of the first record, which every first-per-class subset contains. */
    private static final long PIXEL = 1 + 1000;

    @Test
    void aDamagedSourceYieldsNoManifestAndNoData() throws IOException {
        String manifestId = manifestOf(submit(4));
        given().get("/manifests/" + manifestId + "/train").then().statusCode(200);
        byte original = readByte();
        FileTime modified = Files.getLastModifiedTime(BATCH);
        try {
            writeByte((byte) (original ^ 0x5a));

            given().get("/manifests/" + manifestId + "/train")
                    .then()
                    .statusCode(503)
                    .contentType(ContentType.JSON)
                    .body("field", is("dataset"))
                    .body("reason", containsString("are damaged"))
                    .body("reason", containsString("not served"));
            given().contentType(ContentType.JSON)
                    .body(body(UUID.randomUUID(), 5))
                    .post("/experiments")
                    .then()
                    .statusCode(503)
                    .body("field", is("dataset"))
                    .body("reason", containsString("has changed since it was verified"));

            // Damage that a quick look cannot see (same size, same time) is found when the manifest is built.
            writeByte(original);
            Files.setLastModifiedTime(BATCH, modified);
            jobsOf(submit(4), 1); // the restored source is in use again
            writeByte((byte) (original ^ 0x5a));
            Files.setLastModifiedTime(BATCH, modified);
            int manifests = given().get("/manifests")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$")
                    .size();
            UUID late = UUID.randomUUID();
            // a subset no earlier run can have built: its manifest must be made now, from the damaged file
            String fresh = body(late, 6)
                    .replace(
                            "\"subset\": {",
                            "\"subset\": {\"name\": \"stratified-random\"," + " \"seed\": " + System.nanoTime() + ", ");
            given().contentType(ContentType.JSON)
                    .body(fresh)
                    .post("/experiments")
                    .then()
                    .statusCode(202);
            ConsumerRecord<String, String> dead = deadLetter(late.toString())
                    .orElseThrow(() -> new AssertionError("the request on damaged data was not refused"));
            assertTrue(
                    TestKafka.header(dead, Topic.DLQ_REASON_HEADER).contains("has changed since it was verified"),
                    TestKafka.header(dead, Topic.DLQ_REASON_HEADER));
            // the client had its 202: the failure is published where the results service reads the experiment
            ExperimentFailed failed = failureOf(late);
            assertEquals("dataset", failed.field());
            assertTrue(failed.reason().contains("has changed since it was verified"), failed.reason());
            given().contentType(ContentType.JSON)
                    .body(fresh)
                    .post("/experiments")
                    .then()
                    .statusCode(409)
                    .body("reason", containsString("failed after it was accepted"));
            assertEquals(
                    manifests,
                    given().get("/manifests")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("$")
                            .size(),
                    "no manifest was built from the damaged bytes");
        } finally {
            writeByte(original);
            Files.setLastModifiedTime(BATCH, modified);
        }
        // restored, the source serves and builds again
        given().get("/manifests/" + manifestId + "/train").then().statusCode(200);
        assertEquals(1, jobsOf(submit(7), 1).size());
    }

    private static UUID submit(int samplesPerClass) {
        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(body(id, samplesPerClass))
                .post("/experiments")
                .then()
                .statusCode(202);
        return id;
    }

    private static String body(UUID id, int samplesPerClass) {
        return "{\"experimentId\": \"" + id
                + "\", \"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": " + samplesPerClass
                + "}, \"strategies\": [\"full\"]}";
    }

    private static String manifestOf(UUID experimentId) {
        return EventCodec.fromJson(jobsOf(experimentId, 1).get(0).value(), TrainingJob.class)
                .manifestId();
    }

    private static byte readByte() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(BATCH.toFile(), "r")) {
            file.seek(PIXEL);
            return file.readByte();
        }
    }

    private static void writeByte(byte value) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(BATCH.toFile(), "rw")) {
            file.seek(PIXEL);
            file.write(value);
        }
    }
}
