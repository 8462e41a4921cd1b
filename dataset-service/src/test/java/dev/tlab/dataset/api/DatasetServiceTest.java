package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.WAIT;
import static dev.tlab.dataset.api.PublishedEvents.countFor;
import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static dev.tlab.dataset.api.PublishedEvents.manifestRecord;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The service against a real Kafka broker (KafkaBrokerResource) and a small synthetic dataset (30 training images per
 * class, see the %test properties).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DatasetServiceTest {
    @Test
    void restRequestPublishesTheManifestThenOneJobPerStrategy() {
        UUID id = UUID.randomUUID();
        String body = """
                {"experimentId": "%s",
                 "dataset": {"name": "synthetic"},
                 "subset": {"name": "first-per-class", "samplesPerClass": 5},
                 "strategies": ["freeze", "partial", {"name": "l3", "trainable": ["layer3.*", "fc.*"]}],
                 "hyperParameters": {"epochs": 2, "imageSize": 32}}
                """.formatted(id);
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/experiments")
                .then()
                .statusCode(202)
                .body("experimentId", is(id.toString()))
                .body("watch", is("http://127.0.0.1:8082/experiments/" + id))
                .body("synthetic", is(true));

        List<ConsumerRecord<String, String>> requests = TestKafka.pollUntil(
                Topic.EXPERIMENTS.topicName(),
                records -> records.stream().anyMatch(r -> id.toString().equals(r.key())),
                WAIT);
        ExperimentRequested published = EventCodec.fromJson(
                requests.stream()
                        .filter(r -> id.toString().equals(r.key()))
                        .findFirst()
                        .orElseThrow()
                        .value(),
                ExperimentRequested.class);
        assertEquals(2, published.hyperParameters().epochs());
        assertEquals(List.of(0L), published.seeds());

        List<ConsumerRecord<String, String>> jobRecords = jobsOf(id, 3);
        List<TrainingJob> jobs = jobRecords.stream()
                .map(r -> EventCodec.fromJson(r.value(), TrainingJob.class))
                .toList();
        assertEquals(
                Set.of("freeze", "partial", "l3"),
                jobs.stream().map(j -> j.strategy().name()).collect(Collectors.toSet()));
        for (int i = 0; i < jobs.size(); i++) {
            TrainingJob job = jobs.get(i);
            assertEquals(TrainingJob.jobIdFor(id, job.strategy().name(), 0L), job.jobId());
            assertEquals(job.jobId().toString(), jobRecords.get(i).key());
            assertEquals("synthetic", job.dataset());
            assertTrue(job.synthetic());
            assertEquals(1, job.attempt());
            assertEquals(2, job.hyperParameters().epochs());
            assertEquals(32, job.hyperParameters().imageSize());
            assertEquals("http://127.0.0.1:8081/manifests/" + job.manifestId(), job.manifestUrl());
        }
        for (TrainingJob job : jobs) {
            List<String> expected = "l3".equals(job.strategy().name())
                    ? List.of("layer3.*", "fc.*")
                    : StrategySpec.BUILT_IN.get(job.strategy().name());
            assertEquals(expected, job.strategy().trainable());
        }
        String manifestId = jobs.get(0).manifestId();
        assertEquals(1, jobs.stream().map(TrainingJob::manifestId).distinct().count());

        ConsumerRecord<String, String> manifestRecord = manifestRecord(manifestId);
        DatasetManifest manifest = EventCodec.fromJson(manifestRecord.value(), DatasetManifest.class);
        assertEquals("synthetic", manifest.dataset());
        assertTrue(manifest.synthetic());
        assertEquals(List.of(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), manifest.perClassCounts());
        assertEquals(50, manifest.subsetSize());
        assertEquals(SubsetPolicy.FIRST_PER_CLASS, manifest.policy().name());
        assertEquals(100, manifest.testCount());
        assertTrue(manifest.classNames().stream().allMatch(n -> n.startsWith("synthetic-")));
        // manifest first, then the jobs
        long firstJob =
                jobRecords.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        assertTrue(manifestRecord.timestamp() <= firstJob, "the manifest must be published before its jobs");
    }

    @Test
    void kafkaRequestIsHandledOnceEvenWhenDeliveredTwice() {
        UUID id = UUID.randomUUID();
        ExperimentRequested request = ExperimentRequested.create(
                id,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 4, 7L),
                null,
                HyperParameters.notebook().withEpochs(1),
                null,
                List.of(0L, 1L));
        String json = EventCodec.toJson(request);
        TestKafka.send(Topic.EXPERIMENTS.topicName(), id.toString(), json);
        TestKafka.send(Topic.EXPERIMENTS.topicName(), id.toString(), json);

        List<TrainingJob> jobs = jobsOf(id, 6).stream()
                .map(r -> EventCodec.fromJson(r.value(), TrainingJob.class))
                .toList();
        Set<UUID> expected = Set.of(
                TrainingJob.jobIdFor(id, "freeze", 0), TrainingJob.jobIdFor(id, "freeze", 1),
                TrainingJob.jobIdFor(id, "partial", 0), TrainingJob.jobIdFor(id, "partial", 1),
                TrainingJob.jobIdFor(id, "full", 0), TrainingJob.jobIdFor(id, "full", 1));
        assertEquals(expected, jobs.stream().map(TrainingJob::jobId).collect(Collectors.toSet()));

        DatasetManifest manifest =
                EventCodec.fromJson(manifestRecord(jobs.get(0).manifestId()).value(), DatasetManifest.class);
        assertEquals(SubsetPolicy.STRATIFIED_RANDOM, manifest.policy().name());
        assertEquals(7L, manifest.policy().seed());
        assertEquals(List.of(4, 4, 4, 4, 4, 4, 4, 4, 4, 4), manifest.perClassCounts());

        // the duplicate delivery (and a repeated REST submission of the same content) publishes no further job
        String sameContent = "{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"},"
                + " \"subset\": {\"name\": \"stratified-random\", \"samplesPerClass\": 4, \"seed\": 7},"
                + " \"hyperParameters\": {\"epochs\": 1}, \"seeds\": [0, 1]}";
        given().contentType(ContentType.JSON)
                .body(sameContent)
                .post("/experiments")
                .then()
                .statusCode(202);
        // the same id with other settings is refused, not silently dropped
        given().contentType(ContentType.JSON)
                .body(sameContent.replace("\"epochs\": 1", "\"epochs\": 2"))
                .post("/experiments")
                .then()
                .statusCode(409)
                .body("status", is(409))
                .body("field", is("experimentId"))
                .body("reason", containsString("already requested with other settings"));
        List<ConsumerRecord<String, String>> later = TestKafka.pollUntil(
                Topic.TRAINING_JOBS.topicName(), records -> countFor(records, id) > 6, Duration.ofSeconds(4));
        assertEquals(6, countFor(later, id));
    }

    @Test
    void malformedMessagesGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String badKey = "bad-" + UUID.randomUUID();
        String invalidKey = "invalid-" + UUID.randomUUID();
        TestKafka.send(Topic.EXPERIMENTS.topicName(), badKey, "this is not json");
        String noExperimentId = EventCodec.toJson(
                        ExperimentRequested.create(UUID.randomUUID(), null, null, null, null, null, null))
                .replaceFirst("\"experimentId\"\\s*:\\s*\"[^\"]+\"", "\"experimentId\": null");
        TestKafka.send(Topic.EXPERIMENTS.topicName(), invalidKey, noExperimentId);

        List<ConsumerRecord<String, String>> dead = TestKafka.pollUntil(
                Topic.EXPERIMENTS_DLQ.topicName(),
                records -> records.stream()
                                .filter(r -> badKey.equals(r.key()) || invalidKey.equals(r.key()))
                                .count()
                        >= 2,
                WAIT);
        ConsumerRecord<String, String> bad =
                dead.stream().filter(r -> badKey.equals(r.key())).findFirst().orElseThrow();
        ConsumerRecord<String, String> invalid = dead.stream()
                .filter(r -> invalidKey.equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertEquals("this is not json", bad.value());
        assertNotNull(TestKafka.header(bad, Topic.DLQ_REASON_HEADER));
        assertTrue(
                TestKafka.header(bad, Topic.DLQ_REASON_HEADER).contains("not valid JSON"),
                TestKafka.header(bad, Topic.DLQ_REASON_HEADER));
        assertTrue(
                TestKafka.header(invalid, Topic.DLQ_REASON_HEADER).startsWith("experimentId: is required"),
                TestKafka.header(invalid, Topic.DLQ_REASON_HEADER));

        // the poison pill of issue 14: as large as the topic takes, random bytes (not UTF-8), with a header
        byte[] hugeKey = ("huge-" + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] huge = new byte[Topic.MAX_MESSAGE_BYTES - 2_000];
        new java.util.Random(14).nextBytes(huge);
        huge[0] = (byte) 0xc3;
        huge[1] = (byte) 0x28;
        TestKafka.sendBytes(
                Topic.EXPERIMENTS.topicName(),
                hugeKey,
                huge,
                List.of(new org.apache.kafka.common.header.internals.RecordHeader("origin", new byte[] {(byte) 0xff})));
        var copy = TestKafka.pollBytesUntil(
                        Topic.EXPERIMENTS_DLQ.topicName(),
                        records -> records.stream().anyMatch(r -> java.util.Arrays.equals(hugeKey, r.key())),
                        WAIT)
                .stream()
                .filter(r -> java.util.Arrays.equals(hugeKey, r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the oversized message never reached experiments-dlq"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(huge, copy.value(), "the original bytes");
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                new byte[] {(byte) 0xff}, copy.headers().lastHeader("origin").value());
        assertEquals(Topic.EXPERIMENTS.topicName(), TestKafka.header(copy, "dead-letter-topic"));

        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));

        // and the consumer goes on
        UUID id = UUID.randomUUID();
        TestKafka.send(
                Topic.EXPERIMENTS.topicName(),
                id.toString(),
                EventCodec.toJson(ExperimentRequested.create(
                        id,
                        DatasetSpec.of(DatasetSpec.SYNTHETIC),
                        new SubsetPolicy(null, 3, null),
                        List.of(StrategySpec.named("full")),
                        null,
                        null,
                        null)));
        assertEquals(1, jobsOf(id, 1).size());
    }

    @Test
    void badRequestsAre400sNamingTheField() {
        assertRejected("this is not json", "$");
        assertRejected("{\"experimentId\": \"not-a-uuid\"}", "experimentId");
        assertRejected("{\"dataset\": {\"name\": \"imagenet\"}}", "dataset.name");
        assertRejected(
                "{\"dataset\": {\"name\": \"synthetic\"}, \"strategies\": [\"nope\"]}", "strategies[0].trainable");
        assertRejected("{\"dataset\": {\"name\": \"synthetic\"}, \"strategies\": [\"full\", \"full\"]}", "strategies");
        assertRejected("{\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"name\": \"random\"}}", "subset.name");
        assertRejected(
                "{\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": 0}}",
                "subset.samplesPerClass");
        assertRejected(
                        "{\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": 31}}",
                        "subset.samplesPerClass")
                .then()
                .body("reason", containsString("between 1 and 30"));
        assertRejected(
                "{\"dataset\": {\"name\": \"synthetic\"}, \"hyperParameters\": {\"epochs\": 0}}",
                "hyperParameters.epochs");
        assertRejected(
                "{\"dataset\": {\"name\": \"synthetic\"}, \"hyperParameters\": {\"beta1\": 1.5}}",
                "hyperParameters.beta1");
        assertRejected(
                "{\"dataset\": {\"name\": \"synthetic\"}, \"hyperParameters\": {\"trainBatchSize\": \"x\"}}",
                "hyperParameters.trainBatchSize");
        assertRejected("{\"dataset\": {\"name\": \"cifar10\", \"location\": \"/etc\"}}", "dataset.location");
        // the real CIFAR-10 is not configured in tests: a clear error naming the keys to set
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/experiments")
                .then()
                .statusCode(503)
                .body("field", is("dataset"))
                .body("reason", startsWith("CIFAR-10 not found in"))
                .body("reason", containsString("tlab.dataset.cifar10.url"));

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tlab_dataset_requests_rejected_total{"), metrics);
        assertTrue(metrics.contains("field=\"subset.samplesPerClass\""), "rejections are counted by field");
        assertTrue(metrics.contains("reason=\"malformed\""), "rejections are counted by reason");
    }

    @Test
    void dataEndpointsServeBytesWhoseSha256MatchesTheManifest() {
        UUID id = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"experimentId\": \"" + id + "\", \"dataset\": {\"name\": \"synthetic\"},"
                        + " \"subset\": {\"samplesPerClass\": 5}, \"strategies\": [\"partial\"]}")
                .post("/experiments")
                .then()
                .statusCode(202);
        String manifestId = EventCodec.fromJson(jobsOf(id, 1).get(0).value(), TrainingJob.class)
                .manifestId();

        DatasetManifest manifest = EventCodec.fromJson(
                given().get("/manifests/" + manifestId)
                        .then()
                        .statusCode(200)
                        .contentType(ContentType.JSON)
                        .extract()
                        .asString(),
                DatasetManifest.class);
        assertEquals(manifestId, manifest.manifestId());
        assertEquals(manifest, EventCodec.fromJson(manifestRecord(manifestId).value(), DatasetManifest.class));

        Response train = given().get("/manifests/" + manifestId + "/train");
        train.then()
                .statusCode(200)
                .contentType("application/octet-stream")
                .header(ManifestResource.SHA256_HEADER, manifest.subsetDigest());
        byte[] trainBytes = train.asByteArray();
        assertEquals(50 * CifarFormat.RECORD_BYTES, trainBytes.length);
        assertEquals(manifest.subsetDigest(), Checksums.hex(Checksums.sha256().digest(trainBytes)));
        for (int i = 0; i < manifest.subsetSize(); i++) {
            // records come in trainIndices order; their labels give the per-class counts
            assertTrue(trainBytes[i * CifarFormat.RECORD_BYTES] >= 0 && trainBytes[i * CifarFormat.RECORD_BYTES] < 10);
        }

        Response test = given().get("/manifests/" + manifestId + "/test");
        test.then().statusCode(200).header(ManifestResource.SHA256_HEADER, manifest.testDigest());
        byte[] testBytes = test.asByteArray();
        assertEquals(100 * CifarFormat.RECORD_BYTES, testBytes.length);
        assertEquals(manifest.testDigest(), Checksums.hex(Checksums.sha256().digest(testBytes)));

        given().get("/manifests/m-00000000000000000000000000000000")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("field", is("id"));
        given().get("/manifests/m-00000000000000000000000000000000/train")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON);
        given().get("/manifests/../etc").then().statusCode(404);
        given().get("/manifests").then().statusCode(200).body("manifestId", org.hamcrest.Matchers.hasItem(manifestId));

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tlab_dataset_manifests_published_total{"), "manifests published counter");
        assertTrue(metrics.contains("tlab_dataset_subset_build_seconds"), "subset build timer");
        assertTrue(
                metrics.contains("tlab_dataset_bytes_served_bytes_total{")
                        || metrics.contains("tlab_dataset_bytes_served_total{"),
                "bytes served counter");
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/experiments"))
                .body(containsString("/manifests/{id}/train"));
    }

    private static Response assertRejected(String body, String field) {
        Response response = given().contentType(ContentType.JSON).body(body).post("/experiments");
        response.then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("field", is(field))
                .body("reason", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        return response;
    }
}
