package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged services check a request before any job starts: the dataset service asks the trainer's {@code POST
 * /plan} (the real model loaded, the real patterns matched), and refuses what the trainer refuses with the same field
 * and reason, on REST (400) and on the experiments topic (experiments-dlq) alike (among them a precision the trainer's
 * device cannot compute in); the limits hold.
 */
class RequestChecksIT {
    // HTTP/1.1: an oversized body is answered 413 there (over h2c the server just closes the stream)
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BASE = "\"dataset\": {\"name\": \"synthetic\"}, \"subset\": {\"samplesPerClass\": 2},"
            + " \"hyperParameters\": {\"epochs\": 1, \"imageSize\": 16}, ";
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStacks.start("checks", 1, 5, Map.of());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void whatTheTrainerCannotTrainIsRefusedBeforeAnyJob() throws Exception {
        String model = stack.settings().demoModel().toString();
        refused(
                "{" + BASE
                        + "\"strategies\": [\"full\", {\"name\": \"typo\", \"trainable\": [\"fc.*\", \"layer5.*\"]}]}",
                "strategies[1].trainable[1]",
                "pattern 'layer5.*' matches no parameter of the model");
        refused(
                "{" + BASE.replace("\"imageSize\": 16}", "\"imageSize\": 16, \"headPatterns\": [\"head.*\"]}")
                        + "\"strategies\": [\"full\"]}",
                "hyperParameters.headPatterns[0]",
                "matches no parameter");
        // the trainers load models from the repository's models/ and their cache only (tlab.trainer.model-roots)
        refused(
                "{" + BASE + "\"model\": {\"uri\": \"/nowhere/resnet18.pt\"}}",
                "model.uri",
                "is not inside a folder this trainer loads models from");
        refused(
                "{" + BASE + "\"model\": {\"uri\": \"" + stack.settings().root().resolve("pom.xml") + "\"}}",
                "model.uri",
                "is not inside a folder this trainer loads models from");
        Path notAModel = Files.writeString(
                Files.createDirectories(stack.settings().workDir().resolve("models"))
                        .resolve("notes.pt"),
                "notes");
        refused("{" + BASE + "\"model\": {\"uri\": \"" + notAModel + "\"}}", "model.uri", "not a TorchScript archive");
        refused(
                "{" + BASE + "\"model\": {\"uri\": \"" + model + "\", \"sha256\": \"" + "0".repeat(64) + "\"}}",
                "model.sha256",
                "does not have the sha256");

        // this stack's trainer runs on the CPU: float16 is refused before any job, bfloat16 is planned and accepted
        refused(
                "{" + inPrecision("fp16") + "\"strategies\": [\"freeze\"]}",
                "hyperParameters.precision",
                "fp16 trains only on a GPU");

        HttpResponse<String> accepted = post("{" + inPrecision("bf16") + "\"model\": {\"uri\": \"" + model + "\"},"
                + " \"strategies\": [\"freeze\"]}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        HttpResponse<String> metrics = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/q/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(
                metrics.body().contains("tlab_dataset_plan_checks_total{outcome=\"passed\"}"),
                "the trainer's planner was asked");
    }

    @Test
    void theLimitsHoldOnThePackagedService() throws Exception {
        String strategies = IntStream.range(0, 300)
                .mapToObj(i -> "{\"name\": \"s" + i + "\", \"trainable\": [\"fc.*\"]}")
                .collect(Collectors.joining(","));
        String seeds = IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(","));
        HttpResponse<String> huge = post("{\"dataset\": {\"name\": \"synthetic\"}, \"strategies\": [" + strategies
                + "], \"seeds\": [" + seeds + "], \"hyperParameters\": {\"epochs\": 1000, \"imageSize\": 1024}}");
        assertEquals(400, huge.statusCode(), huge.body());
        assertEquals(
                "strategies",
                EventCodec.mapper().readTree(huge.body()).path("field").asText());

        HttpResponse<String> oversized =
                post("{\"strategies\": [{\"name\": \"g\", \"trainable\": [\"" + "*".repeat(1_000_000) + "\"]}]}");
        assertEquals(413, oversized.statusCode());
    }

    private static String inPrecision(String precision) {
        return BASE.replace("\"imageSize\": 16}", "\"imageSize\": 16, \"precision\": \"" + precision + "\"}");
    }

    /** 400 on REST naming the field; the same request on the topic is dead-lettered with "field: reason". */
    private static void refused(String body, String field, String reason) throws Exception {
        HttpResponse<String> response = post(body);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = EventCodec.mapper().readTree(response.body());
        assertEquals(field, error.path("field").asText(), response.body());
        assertTrue(error.path("reason").asText().contains(reason), response.body());

        UUID id = UUID.randomUUID();
        ObjectNode event = (ObjectNode) EventCodec.mapper().readTree(body);
        event.put("eventId", UUID.randomUUID().toString())
                .put("type", ExperimentRequested.TYPE)
                .put("schemaVersion", ExperimentRequested.SCHEMA_VERSION)
                .put("occurredAt", Instant.now().toString())
                .put("experimentId", id.toString());
        send(id.toString(), event.toString());
        assertEquals(field + ": " + error.path("reason").asText(), deadLetterReason(id.toString()));
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/experiments"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(90))
                        .header("Authorization", "Bearer " + stack.secrets().triggerToken())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void send(String key, String value) throws Exception {
        // as anyone who may start experiments by publishing would
        Map<String, Object> config = stack.clientConfig(KafkaAccess.Identity.TRIGGER);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topic.EXPERIMENTS.topicName(), key, value))
                    .get();
        }
    }

    private static String deadLetterReason(String key) {
        Properties props = new Properties();
        props.putAll(stack.superUserClientConfig()); // no service identity reads experiments-dlq: operators do
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "checks-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.EXPERIMENTS_DLQ.topicName()));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Header reason = record.headers().lastHeader(Topic.DLQ_REASON_HEADER);
                    if (key.equals(record.key()) && reason != null) {
                        return new String(reason.value(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for " + key);
    }
}
