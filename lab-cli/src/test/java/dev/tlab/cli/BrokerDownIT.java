package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.cli.stack.ServiceProcess;
import dev.tlab.contracts.EventCodec;
import dev.tlab.kafka.local.BrokerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged dataset service with a broker that is stopped under it: {@code POST /experiments} answers 503 with
 * Retry-After instead of hanging for minutes, and accepts again once the broker is back.
 */
class BrokerDownIT {
    private static final Duration START = Duration.ofMinutes(3);
    /** Far below the 121 s the request used to hang; a client that waits longer than this would give up. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path work;
    private static int kafkaPort;
    private static int controllerPort;
    private static BrokerProcess broker;
    private static ServiceProcess dataset;

    @BeforeAll
    static void start() throws IOException {
        Path root =
                Path.of(System.getProperty("tlab.root", "..")).toAbsolutePath().normalize();
        work = Files.createDirectories(root.resolve("lab-cli/target/broker-down-" + System.currentTimeMillis()));
        kafkaPort = TestStacks.freePort();
        controllerPort = TestStacks.freePort();
        broker = BrokerProcess.start(
                new BrokerProcess.Options(work.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort, null), START);
        int port = TestStacks.freePort();
        dataset = ServiceProcess.start(
                "dataset-service",
                root.resolve("dataset-service/target/quarkus-app/quarkus-run.jar"),
                "127.0.0.1",
                port,
                Map.of(
                        "kafka.bootstrap.servers",
                        broker.bootstrapServers(),
                        "tlab.dataset.data-dir",
                        work.resolve("data").toString(),
                        "tlab.dataset.synthetic.images-per-class",
                        "5",
                        "tlab.dataset.synthetic.test-images-per-class",
                        "2"),
                Map.of(),
                work.resolve("logs/dataset-service.log"),
                START);
    }

    @AfterAll
    static void stop() {
        if (dataset != null) {
            dataset.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void withTheBrokerDownARequestIsA503WithRetryAfterAndLaterAccepted() throws Exception {
        assertEquals(202, submit().statusCode());

        broker.close();
        long asked = System.nanoTime();
        HttpResponse<String> refused = submit();
        System.out.printf(
                "[broker-down] answered %d in %d ms%n", refused.statusCode(), (System.nanoTime() - asked) / 1_000_000);
        assertEquals(503, refused.statusCode(), refused.body());
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0, "Retry-After " + retryAfter);
        JsonNode error = EventCodec.mapper().readTree(refused.body());
        assertTrue(error.path("reason").asText().contains("Kafka did not take the request"), refused.body());

        broker = BrokerProcess.start(
                new BrokerProcess.Options(work.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort, null),
                START); // same folder and ports
        HttpResponse<String> later = submit();
        for (int attempt = 1; later.statusCode() == 503 && attempt < 10; attempt++) {
            Thread.sleep(Duration.ofSeconds(retryAfter).toMillis()); // what a client told to retry does
            later = submit();
        }
        assertEquals(202, later.statusCode(), later.body());
    }

    private static HttpResponse<String> submit() throws IOException, InterruptedException {
        String body = "{\"experimentId\": \"" + UUID.randomUUID() + "\", \"dataset\": {\"name\": \"synthetic\"},"
                + " \"subset\": {\"samplesPerClass\": 2}, \"strategies\": [\"full\"]}";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(dataset.baseUrl() + "/experiments"))
                        .header("Content-Type", "application/json")
                        .timeout(CLIENT_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
