package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.MalformedEventException;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Expected;
import dev.tlab.results.testdata.Produce;
import dev.tlab.results.testdata.Scenario;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * The service against a real Kafka broker: a scripted experiment (duplicates, out-of-order epochs, a failed and resumed
 * job) published to the topics must give exactly the expected leaderboard over REST; re-reading the topics into a fresh
 * aggregate gives the same; malformed events are dead-lettered; metrics and OpenAPI are served.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ResultsServiceTest {
    static final UUID EXPERIMENT = UUID.randomUUID();
    private static boolean published;

    @Inject
    ObjectMapper mapper;

    @Inject
    ResultsConfig config;

    /** Publishes the scenario once for the class and waits until the service shows it complete. */
    static synchronized void scenarioPublished() {
        if (!published) {
            Produce.sendAll(Scenario.records(EXPERIMENT, Instant.now()));
            published = true;
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> Expected.all(EXPERIMENT));
    }

    @Test
    void scriptedEventsGiveExactlyTheExpectedLeaderboard() {
        scenarioPublished();
        Expected.leaderboard(EXPERIMENT);
        Expected.details(EXPERIMENT);
        given().get("/experiments/{id}", EXPERIMENT)
                .then()
                .body("synthetic", equalTo(true))
                .body("dataset", equalTo("synthetic-cifar"))
                .body("state", equalTo("completed"));
    }

    /**
     * What clients read is exactly the contracts' records: the served JSON reads into them and writes back unchanged.
     */
    @Test
    void servedJsonIsExactlyTheContractsViews() throws Exception {
        scenarioPublished();
        String experiment = given().get("/experiments/{id}", EXPERIMENT)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(
                experiment,
                mapper.writeValueAsString(mapper.readValue(experiment, dev.tlab.contracts.api.Views.Experiment.class)));
        String leaderboard = given().get("/experiments/{id}/leaderboard", EXPERIMENT)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(
                leaderboard,
                mapper.writeValueAsString(
                        mapper.readValue(leaderboard, dev.tlab.contracts.api.Views.Leaderboard.class)));
    }

    @Test
    void rereadingKafkaIntoAFreshAggregateGivesTheSameResult() throws Exception {
        scenarioPublished();
        // what a restarted process does: a new consumer group reads every topic from the beginning
        ResultsStore rebuilt = new ResultsStore();
        for (ConsumerRecord<String, String> r : read(Topic.DATASET_MANIFESTS, 1)) {
            decodeQuietly(() -> rebuilt.apply(EventCodec.fromJson(r.value(), DatasetManifest.class)));
        }
        for (ConsumerRecord<String, String> r : read(Topic.TRAINING_JOBS, 4)) {
            decodeQuietly(() -> rebuilt.apply(EventCodec.fromJson(r.value(), TrainingJob.class)));
        }
        for (ConsumerRecord<String, String> r : read(Topic.TRAINING_EVENTS, Scenario.TRAINING_EVENT_RECORDS)) {
            decodeQuietly(() -> rebuilt.apply(EventCodec.fromJson(r.value(), TrainingEvent.class)));
        }
        JsonNode live = mapper.readTree(given().get("/experiments/{id}", EXPERIMENT)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        // the served view carries the leaderboard's verdict, which the comparison adds: rebuilt the same way
        JsonNode fresh = mapper.readTree(mapper.writeValueAsString(
                new Comparisons(rebuilt, config).find(EXPERIMENT).orElseThrow().experiment()));
        // the change counter depends on how the topics interleave; everything else must be identical
        ((ObjectNode) live).remove("version");
        ((ObjectNode) fresh).remove("version");
        assertEquals(live, fresh);
    }

    private static List<ConsumerRecord<String, String>> read(Topic topic, int atLeast) {
        return TestKafka.pollUntil(
                topic.topicName(),
                records -> records.stream()
                                .filter(r -> r.value() != null
                                        && r.value()
                                                .contains(EXPERIMENT.toString().substring(0, 8)))
                                .count()
                        >= atLeast,
                Duration.ofSeconds(30));
    }

    private static void decodeQuietly(Runnable apply) {
        try {
            apply.run();
        } catch (MalformedEventException e) {
            // the dead-letter test's bad records: skipped, as the service skips them
        }
    }

    @Test
    void unknownAndMalformedIdsAndPaging() {
        scenarioPublished();
        UUID unknown = UUID.randomUUID();
        given().get("/experiments/{id}", unknown)
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("status", equalTo(404))
                .body("field", equalTo("id"))
                .body("reason", containsString(unknown.toString()))
                .body("keySet()", equalTo(java.util.Set.of("status", "field", "reason"))); // the shared ApiError shape
        given().get("/experiments/{id}/leaderboard", unknown)
                .then()
                .statusCode(404)
                .body("status", equalTo(404));
        given().get("/experiments/not-a-uuid")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("field", equalTo("id"));
        given().get("/experiments/not-a-uuid/leaderboard")
                .then()
                .statusCode(400)
                .body("status", equalTo(400));
        given().get("/experiments/12345/chart.svg").then().statusCode(400);
        given().queryParam("size", 0).get("/experiments").then().statusCode(400).body("field", equalTo("size"));
        given().queryParam("page", -1)
                .get("/experiments")
                .then()
                .statusCode(400)
                .body("field", equalTo("page"));
        given().queryParam("size", 500).get("/experiments").then().statusCode(400);
        // a value that is no whole number is named too (as an int parameter it was answered 404, as if no list existed)
        for (String list : List.of("/experiments", "/unknown-experiments")) {
            given().queryParam("page", "abc")
                    .get(list)
                    .then()
                    .statusCode(400)
                    .contentType("application/json")
                    .body("field", equalTo("page"))
                    .body("reason", equalTo("must be a whole number, was 'abc'"));
            given().queryParam("size", "1.5").get(list).then().statusCode(400).body("field", equalTo("size"));
            given().queryParam("page", "99999999999")
                    .get(list)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("page"))
                    .body("reason", containsString("at most 2147483647"));
            given().queryParam("size", 0).get(list).then().statusCode(400).body("field", equalTo("size"));
        }
        given().queryParam("page", 1000)
                .get("/experiments")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0))
                .body("total", greaterThan(0));
        given().get("/experiments")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.experimentId", hasItem(EXPERIMENT.toString()));
        given().queryParam("page", 0)
                .queryParam("size", 1)
                .get("/experiments")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void chartsAndPagesAreServed() {
        scenarioPublished();
        String svg = given().get("/experiments/{id}/chart.svg", EXPERIMENT)
                .then()
                .statusCode(200)
                .contentType("image/svg+xml")
                .extract()
                .asString();
        assertTrue(svg.contains("Transfer Learning Strategy Comparison"));
        assertTrue(svg.contains(">83.00%</text>") && svg.contains(">80.00%</text>") && svg.contains(">70.00%</text>"));
        given().get("/experiments/{id}/curves.svg", EXPERIMENT)
                .then()
                .statusCode(200)
                .contentType("image/svg+xml")
                .body(containsString("<polyline"));
        given().get("/experiments/{id}/view", EXPERIMENT)
                .then()
                .statusCode(200)
                .contentType("text/html")
                .body(containsString("SYNTHETIC DATA"))
                .body(containsString("class=\"bar\""));
        given().get("/experiments/{id}/live", EXPERIMENT).then().statusCode(404); // replaced by /events (SSE)
        given().get("/experiments/not-a-uuid/events").then().statusCode(400).body("field", equalTo("id"));
        given().get("/").then().statusCode(200).contentType("text/html").body(containsString(EXPERIMENT.toString()));
    }

    /**
     * The comparison over REST, the reports and its charts' errors: the scenario's trainers report no evaluation, so
     * the verdict says no paired test ran, the report files carry it, and a chart of an unevaluated strategy is a 404
     * naming the strategy.
     */
    @Test
    void theComparisonAndTheReportsAreServed() {
        scenarioPublished();
        given().get("/experiments/{id}/comparison", EXPERIMENT)
                .then()
                .statusCode(200)
                .body("verdict.outcome", equalTo("untested"))
                .body("verdict.leader", equalTo("partial"))
                .body("verdict.runnerUp", equalTo("full"))
                .body("strategies.size()", equalTo(4))
                .body("notes.size()", org.hamcrest.Matchers.greaterThan(0));
        given().get("/experiments/{id}/leaderboard", EXPERIMENT)
                .then()
                .statusCode(200)
                .body("verdict.outcome", equalTo("untested"));
        String verdict = given().get("/experiments/{id}/comparison", EXPERIMENT)
                .then()
                .extract()
                .path("verdict.text");
        String html = given().get("/experiments/{id}/report.html", EXPERIMENT)
                .then()
                .statusCode(200)
                .contentType("text/html")
                .extract()
                .asString();
        assertTrue(html.contains("<svg") && html.contains("id=\"verdict\""), html);
        assertTrue(html.contains(verdict.replace("'", "&#39;")) || html.contains(verdict), html);
        assertTrue(!html.contains("<script src") && !html.contains("<link "), "nothing to fetch: " + html);
        String markdown = given().get("/experiments/{id}/report.md", EXPERIMENT)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(markdown.contains(verdict), markdown);
        assertTrue(markdown.contains("| partial |") || markdown.contains("|partial|"), markdown);
        given().get("/experiments/{id}/confusion.svg", EXPERIMENT)
                .then()
                .statusCode(400)
                .body("field", equalTo("strategy"));
        given().get("/experiments/{id}/confusion.svg?strategy=sideways", EXPERIMENT)
                .then()
                .statusCode(404)
                .body("field", equalTo("strategy"));
        given().get("/experiments/{id}/reliability.svg?strategy=partial", EXPERIMENT)
                .then()
                .statusCode(404)
                .body("field", equalTo("strategy"));
        given().get("/experiments/{id}/cost.svg", EXPERIMENT).then().statusCode(404);
        given().get("/experiments/{id}/comparison", UUID.randomUUID()).then().statusCode(404);
        given().get("/experiments/not-a-uuid/report.md").then().statusCode(400).body("field", equalTo("id"));
    }

    /**
     * An experiment on the user's own images shows its dataset on the page: classes, split counts, rejects, leaks and
     * notes; what the manifest names (a reject's reason here) is escaped, never markup.
     */
    @Test
    void thePageOfAnImagesExperimentShowsItsDatasetEscaped() throws Exception {
        UUID experiment = UUID.randomUUID();
        String manifestId = "m-" + experiment.toString().replace("-", "");
        String json = Files.readString(Path.of("../contracts/src/test/resources/golden/DatasetManifest-images.json"))
                .replace(
                        "00000000-0000-4000-8000-000000000111",
                        UUID.randomUUID().toString())
                .replace("m-00112233445566778899aabbccddeeff", manifestId)
                .replace("\"truncated\"", "\"<script>alert('x')</script> & more\"");
        DatasetManifest manifest = EventCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), DatasetManifest.class);
        TrainingJob job = new Script(experiment, Instant.now()).job("freeze", 0, 1, manifestId, "images", false, 2);
        Produce.sendAll(List.of(
                new Scenario.Record(Topic.DATASET_MANIFESTS.topicName(), manifestId, EventCodec.toJson(manifest)),
                new Scenario.Record(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job))));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}/leaderboard", experiment)
                        .then()
                        .statusCode(200)
                        .body("datasetReport.rejectCount", equalTo(1))
                        .body("datasetReport.rejects[0].reason", equalTo("<script>alert('x')</script> & more")));
        String html = given().get("/experiments/{id}/view", experiment)
                .then()
                .statusCode(200)
                .contentType("text/html")
                .extract()
                .asString();
        assertTrue(html.contains("<h2>Dataset</h2>"), html);
        assertTrue(html.contains("<code>cat</code>, <code>dog</code>, <code>zebra</code>"), html);
        assertTrue(html.contains("<td class=\"num\">21</td><td class=\"num\">7</td>"), html);
        assertTrue(
                html.contains(
                        "<code>pets/dog/broken.jpg</code>: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"
                                + " (Premature end of JPEG file)"),
                html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(
                html.contains("<code>pets/cat/a.jpg</code> (train) = <code>pets/cat/a-copy.jpg</code> (test)"), html);
        assertTrue(html.contains("2 images with an EXIF orientation"), html);
        assertTrue(html.contains("Rejected image files: <strong>1</strong>"), html);
    }

    /**
     * Whatever arrives, every consumer goes on: malformed messages on each topic this service reads, and on each one as
     * large as the topic takes, of random bytes that are not UTF-8. Copies keep key, value bytes and headers;
     * training-jobs' bad messages are only counted (the trainers keep that topic's dead letters).
     */
    @Test
    void malformedAndOversizedMessagesGoToTheirDeadLetterTopicsAndConsumptionContinues() {
        String badKey = "bad-" + UUID.randomUUID();
        TestKafka.send(Topic.TRAINING_EVENTS.topicName(), badKey, "{this is not json");
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                badKey,
                "{\"type\":\"EpochCompleted\",\"eventId\":\"" + UUID.randomUUID() + "\"}");
        byte[] hugeKey = ("huge-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] huge = randomBytes(Topic.MAX_MESSAGE_BYTES - 2_000);
        List<Header> headers = List.of(new RecordHeader("origin", new byte[] {(byte) 0xff, 0}));
        TestKafka.sendBytes(Topic.TRAINING_EVENTS.topicName(), hugeKey, huge, headers);
        for (Topic topic : List.of(Topic.DATASET_MANIFESTS, Topic.EXPERIMENT_CANCELLATIONS, Topic.TRAINING_JOBS)) {
            TestKafka.send(topic.topicName(), badKey, "{}");
            TestKafka.sendBytes(topic.topicName(), hugeKey, huge, headers);
        }
        // a good event after the bad ones is still applied
        Script after = new Script(UUID.randomUUID(), Instant.now());
        TestKafka.send(
                Topic.TRAINING_JOBS.topicName(),
                after.experimentId().toString(),
                EventCodec.toJson(after.job("full", 0)));
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                after.experimentId().toString(),
                EventCodec.toJson(after.started("full", 0, 1, 1, 3, "cifar-10", false)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", after.experimentId())
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("running")));
        List<ConsumerRecord<String, String>> dead = TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS_DLQ.topicName(),
                        records -> records.stream()
                                        .filter(r -> badKey.equals(r.key()))
                                        .count()
                                >= 2,
                        Duration.ofSeconds(30))
                .stream()
                .filter(r -> badKey.equals(r.key()))
                .toList();
        assertEquals(2, dead.size());
        assertEquals("{this is not json", dead.get(0).value());
        String reason = TestKafka.header(dead.get(0), Topic.DLQ_REASON_HEADER);
        assertNotNull(reason, "the reason travels in a header");
        assertTrue(reason.contains("not valid JSON"), reason);
        String secondReason = TestKafka.header(dead.get(1), Topic.DLQ_REASON_HEADER);
        assertTrue(
                secondReason.contains("schemaVersion")
                        || secondReason.contains("occurredAt")
                        || secondReason.contains("job")
                        || secondReason.contains("required"),
                secondReason);

        ConsumerRecord<byte[], byte[]> copy = TestKafka.pollBytesUntil(
                        Topic.TRAINING_EVENTS_DLQ.topicName(),
                        records -> records.stream().anyMatch(r -> Arrays.equals(hugeKey, r.key())),
                        Duration.ofSeconds(30))
                .stream()
                .filter(r -> Arrays.equals(hugeKey, r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the oversized message never reached training-events-dlq"));
        assertArrayEquals(huge, copy.value(), "the original bytes, not a re-encoded text");
        assertArrayEquals(
                new byte[] {(byte) 0xff, 0}, copy.headers().lastHeader("origin").value());
        for (Topic topic : List.of(Topic.DATASET_MANIFESTS_DLQ, Topic.EXPERIMENT_CANCELLATIONS_DLQ)) {
            ConsumerRecord<byte[], byte[]> big = TestKafka.pollBytesUntil(
                            topic.topicName(),
                            records -> records.stream().anyMatch(r -> Arrays.equals(hugeKey, r.key())),
                            Duration.ofSeconds(30))
                    .stream()
                    .filter(r -> Arrays.equals(hugeKey, r.key()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the oversized message never reached " + topic.topicName()));
            assertArrayEquals(huge, big.value(), topic.topicName());
        }
        for (Topic topic : List.of(Topic.DATASET_MANIFESTS_DLQ, Topic.EXPERIMENT_CANCELLATIONS_DLQ)) {
            ConsumerRecord<String, String> empty = TestKafka.pollUntil(
                            topic.topicName(),
                            records -> records.stream().anyMatch(r -> badKey.equals(r.key())),
                            Duration.ofSeconds(30))
                    .stream()
                    .filter(r -> badKey.equals(r.key()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no dead letter in " + topic.topicName()));
            assertTrue(
                    TestKafka.header(empty, Topic.DLQ_REASON_HEADER).startsWith("eventId: is required"),
                    topic + ": " + TestKafka.header(empty, Topic.DLQ_REASON_HEADER));
        }
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tl_events_malformed_total{topic=\"training-events\"}"));
        assertTrue(
                metrics.contains("tl_dead_letters_total{outcome=\"skipped\",topic=\"training-jobs\"}"),
                "skipped, counted");
        assertTrue(metrics.contains("tl_dead_letters_total{outcome=\"copied\",topic=\"training-events\"}"));
    }

    /** Training events for an experiment no job announced are not shown as an experiment, but listed apart. */
    @Test
    void eventsOfAnUnknownExperimentAreKeptApart() {
        Script stray = new Script(UUID.randomUUID(), Instant.now());
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                stray.experimentId().toString(),
                EventCodec.toJson(stray.started("full", 0, 1, 1, 3, "cifar-10", false)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().queryParam("size", 200)
                        .get("/unknown-experiments")
                        .then()
                        .statusCode(200)
                        .body("items.experimentId", hasItem(stray.experimentId().toString())));
        given().get("/experiments/{id}", stray.experimentId())
                .then()
                .statusCode(404)
                .body("reason", containsString("/unknown-experiments"));
        given().queryParam("size", 200)
                .get("/experiments")
                .then()
                .statusCode(200)
                .body(
                        "items.experimentId",
                        org.hamcrest.Matchers.not(hasItem(stray.experimentId().toString())));
        assertTrue(given().get("/q/metrics").then().extract().asString().contains("tl_unknown_experiments"));
    }

    /**
     * A cancelled experiment: its queued job shows cancelled at once, its running one once its trainer reports it; the
     * leaderboard JSON carries the cancellation and the page shows it, with a retried job's attempts.
     */
    @Test
    void aCancelledExperimentIsShownCancelledInTheLeaderboardAndOnThePage() {
        Script s = new Script(UUID.randomUUID(), Instant.now());
        String id = s.experimentId().toString();
        for (String strategy : List.of("freeze", "partial", "full")) {
            TestKafka.send(Topic.TRAINING_JOBS.topicName(), id, EventCodec.toJson(s.job(strategy, 0)));
        }
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                id,
                EventCodec.toJson(s.started("full", 0, 1, 1, 3, "cifar-10", false)));
        TestKafka.send(
                Topic.TRAINING_EVENTS.topicName(),
                id,
                EventCodec.toJson(s.failed(
                        "partial",
                        0,
                        1,
                        "the dataset service answered 503",
                        2,
                        List.of(new FailedAttempt(1, "the dataset service answered 503", Instant.now())))));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}/view", id)
                        .then()
                        .statusCode(200)
                        .body(containsString("attempt 1 failed: the dataset service answered 503"))
                        .body(containsString("attempt 2 starts at")));

        TestKafka.send(Topic.EXPERIMENT_CANCELLATIONS.topicName(), id, EventCodec.toJson(s.cancelled("wrong dataset")));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}/leaderboard", id)
                        .then()
                        .statusCode(200)
                        .body("cancellation.reason", equalTo("wrong dataset"))
                        .body("rows.find { it.strategy == 'freeze' }.state", equalTo("cancelled"))
                        .body("rows.find { it.strategy == 'full' }.state", equalTo("running"))
                        .body("state", equalTo("running")));
        TestKafka.send(Topic.TRAINING_EVENTS.topicName(), id, EventCodec.toJson(s.cancelledJob("full", 0, 1, 1)));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}/leaderboard", id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("cancelled"))
                        .body("rows.state", org.hamcrest.Matchers.everyItem(equalTo("cancelled"))));
        given().get("/experiments/{id}/view", id)
                .then()
                .statusCode(200)
                .body(containsString("CANCELLED"))
                .body(containsString("wrong dataset"));
        given().get("/experiments").then().statusCode(200).body(containsString(id));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(14).nextBytes(bytes);
        bytes[0] = (byte) 0xc3;
        bytes[1] = (byte) 0x28; // not UTF-8
        return bytes;
    }

    @Test
    void prometheusMetricsAreExported() {
        scenarioPublished();
        String id = EXPERIMENT.toString();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(
                metrics.contains("tl_strategy_test_accuracy{experiment=\"" + id + "\",strategy=\"partial\"} 0.83"),
                metrics);
        assertTrue(metrics.contains("tl_strategy_test_accuracy{experiment=\"" + id + "\",strategy=\"full\"} 0.8"));
        assertTrue(metrics.contains("tl_strategy_epoch_loss{experiment=\"" + id + "\",strategy=\"freeze\"} 1.6"));
        assertTrue(metrics.contains("tl_strategy_train_accuracy{experiment=\"" + id + "\",strategy=\"freeze\"} 0.45"));
        assertTrue(metrics.contains("tl_experiments{state=\"completed\"}"));
        assertTrue(metrics.contains("tl_experiments{state=\"running\"}"));
        assertTrue(metrics.contains("tl_events_consumed_total{type=\"EpochCompleted\"}"));
        assertTrue(metrics.contains("tl_events_consumed_total{type=\"TrainingJob\"}"));
        assertTrue(metrics.contains("tl_events_duplicate_total"));
        double duplicates = metrics.lines()
                .filter(l -> l.startsWith("tl_events_duplicate_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .sum();
        assertTrue(duplicates >= 2, "the scenario duplicates two events: " + duplicates);
    }

    @Test
    void healthAndOpenApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/experiments/{id}/leaderboard"))
                // the paging parameters arrive as text (a bad one is a 400 naming it), yet are documented as integers
                .body("paths.'/experiments'.get.parameters.find { it.name == 'page' }.schema.type", equalTo("integer"))
                .body(
                        "paths.'/unknown-experiments'.get.parameters.find { it.name == 'size' }.schema.maximum",
                        equalTo(200))
                .body(
                        "paths.'/unknown-experiments'.get.responses.'400'.description",
                        containsString("names the parameter"));
    }
}
