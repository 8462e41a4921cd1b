package dev.tlab.results;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The record of how a result was made (the accepted request, and per job what ran it and when) and the kept models:
 * listed with their sha256, the best one and each job's one served from the model store, a tampered file refused.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RecordAndModelsTest {
    private static final RunEnvironment ENV = new RunEnvironment(
            "PyTorch", "0.36.0", "2.7.1", "cu128", "0.1.0", "trainer-0", RunEnvironment.CHANNELS_LAST);

    @Test
    void theExperimentShowsItsRequestItsRunsRecordAndOffersTheModels() throws Exception {
        Script s = new Script(UUID.randomUUID(), Instant.parse("2026-11-30T00:00:00Z")).inPrecision(Precision.BF16);
        String id = s.experimentId().toString();
        String manifestId = "m-" + id.substring(0, 8);
        TestKafka.send(
                Topic.DATASET_MANIFESTS.topicName(),
                manifestId,
                EventCodec.toJson(Script.manifest(manifestId, "cifar-10", false)));
        for (String strategy : List.of("freeze", "partial", "last-two")) {
            for (long seed : List.of(0L, 1L)) {
                TestKafka.send(Topic.TRAINING_JOBS.topicName(), id, EventCodec.toJson(s.job(strategy, seed)));
            }
        }
        Path store = Path.of(ConfigProvider.getConfig().getValue("tlab.results.model-store", String.class));
        byte[] partial1 = keep(store, s, "partial", 1, 11);
        byte[] freeze0 = keep(store, s, "freeze", 0, 12);
        Instant started = Instant.parse("2026-11-30T00:00:00Z");
        TestKafka.send(Topic.TRAINING_EVENTS.topicName(), id, EventCodec.toJson(s.started("partial", 1, 1, ENV)));
        send(s, s.completed("partial", 1, 1, 0.84, started, ENV, artifact(s, "partial", 1, partial1)));
        send(s, s.completed("partial", 0, 1, 0.80, started, ENV, null)); // an older trainer: no model kept
        send(s, s.completed("freeze", 0, 1, 0.70, started, ENV, artifact(s, "freeze", 0, freeze0)));

        UUID partial1Job = TrainingJob.jobIdFor(s.experimentId(), "partial", 1);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/experiments/{id}", id)
                        .then()
                        .statusCode(200)
                        .body("request.dataset", equalTo("cifar-10"))
                        .body("request.subset.samplesPerClass", equalTo(300))
                        .body("bestModel.jobId", equalTo(partial1Job.toString())));
        given().get("/experiments/{id}", id)
                .then()
                .body("request.manifestId", equalTo(manifestId))
                .body("request.subsetDigest", equalTo("b".repeat(64)))
                .body("request.testDigest", equalTo("c".repeat(64)))
                .body("request.sourceFingerprint", equalTo("a".repeat(64)))
                .body("request.seeds", equalTo(List.of(0, 1)))
                .body("request.strategies.name", equalTo(List.of("freeze", "partial", "last-two")))
                .body(
                        "request.strategies.find { it.name == 'last-two' }.trainable",
                        equalTo(List.of("layer3.*", "layer4.*", "fc.*")))
                .body("request.hyperParameters.epochs", equalTo(3))
                .body("request.hyperParameters.imageSize", equalTo(32))
                .body("request.hyperParameters.headLearningRate", equalTo(0.001f))
                .body("request.hyperParameters.precision", equalTo("bf16"))
                .body("leaderboard.rows.precision", equalTo(List.of("bf16", "bf16", "bf16")))
                .body("strategies.precision", equalTo(List.of("bf16", "bf16", "bf16")))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.precision",
                        equalTo("bf16"))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.environment.memoryFormat",
                        equalTo("channels-last"))
                .body("strategies.find { it.strategy == 'last-two' }.runs.find { it.seed == 0 }.precision", nullValue())
                .body("request.model.uri", nullValue())
                .body("bestModel.strategy", equalTo("partial"))
                .body("bestModel.seed", equalTo(1))
                .body("bestModel.sha256", equalTo(sha256(partial1)))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.startedAt",
                        equalTo("2026-11-30T00:00:00Z"))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.finishedAt",
                        containsString("2026-11-30T00:00:00.0"))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.environment.libtorchVersion",
                        equalTo("2.7.1"))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.environment.flavor",
                        equalTo("cu128"))
                .body(
                        "strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 1 }.model.href",
                        equalTo("/experiments/" + id + "/jobs/" + partial1Job + "/model"))
                .body("strategies.find { it.strategy == 'partial' }.runs.find { it.seed == 0 }.model", nullValue());

        given().get("/experiments/{id}/models", id)
                .then()
                .statusCode(200)
                .body("models.strategy", equalTo(List.of("partial", "freeze")))
                .body("models[1].sha256", equalTo(sha256(freeze0)))
                .body("best.strategy", equalTo("partial"));
        Response best = given().get("/experiments/{id}/models/best", id);
        assertEquals(200, best.statusCode());
        assertEquals(sha256(partial1), best.header("X-Model-Sha256"));
        assertArrayEquals(partial1, best.asByteArray());
        assertArrayEquals(
                freeze0,
                given().get(
                                "/experiments/{id}/jobs/{job}/model",
                                id,
                                TrainingJob.jobIdFor(s.experimentId(), "freeze", 0))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());

        given().get("/experiments/{id}/jobs/{job}/model", id, TrainingJob.jobIdFor(s.experimentId(), "partial", 0))
                .then()
                .statusCode(404)
                .body("reason", containsString("kept no model"));
        given().get("/experiments/{id}/jobs/not-a-uuid/model", id)
                .then()
                .statusCode(400)
                .body("field", equalTo("jobId"));

        // the page shows the same record and offers the models
        String page = given().get("/experiments/{id}/view", id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String bestHref = "/experiments/" + id + "/jobs/" + partial1Job + "/model";
        assertTrue(page.contains("id=\"best-model\"") && page.contains("href=\"" + bestHref + "\""), page);
        assertTrue(page.contains(sha256(partial1)) && page.contains(sha256(freeze0)), "every kept model's sha256");
        assertTrue(page.contains("b".repeat(64)) && page.contains("c".repeat(64)), "subset and test digests");
        assertTrue(page.contains("last-two: <code>layer3.*</code> <code>layer4.*</code> <code>fc.*</code>"), page);
        assertTrue(page.contains("libtorch 2.7.1 cu128") && page.contains("on trainer-0"), "what ran each job");
        assertTrue(page.contains("epochs 3,"), "the hyper-parameters");
        assertTrue(page.contains("precision <span class=\"precision\">bf16</span>"), "the precision asked for");
        assertTrue(page.contains("<td class=\"precision\">bf16</td>"), "the leaderboard says how it was trained");
        assertTrue(
                page.contains("on trainer-0, channels-last<br>in <span class=\"precision\">bf16</span>"),
                "each run says its memory format and precision");

        // a file changed after the trainer wrote it is never served as the model
        Files.write(store.resolve(id).resolve(partial1Job + ".pt"), new byte[] {1, 2, 3});
        given().get("/experiments/{id}/models/best", id)
                .then()
                .statusCode(409)
                .body("reason", containsString("reported " + sha256(partial1)));
        Files.delete(store.resolve(id).resolve(partial1Job + ".pt"));
        given().get("/experiments/{id}/models/best", id)
                .then()
                .statusCode(404)
                .body("reason", containsString("tlab.trainer.model-retention"));
    }

    private static void send(Script s, Object event) {
        TestKafka.send(Topic.TRAINING_EVENTS.topicName(), s.experimentId().toString(), EventCodec.toJson(event));
    }

    private static byte[] keep(Path store, Script s, String strategy, long seed, int fill) throws Exception {
        byte[] bytes = new byte[4096];
        new Random(fill).nextBytes(bytes);
        Path file = store.resolve(s.experimentId().toString())
                .resolve(TrainingJob.jobIdFor(s.experimentId(), strategy, seed) + ".pt");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return bytes;
    }

    private static ModelArtifact artifact(Script s, String strategy, long seed, byte[] bytes) throws Exception {
        return new ModelArtifact(
                s.experimentId() + "/" + TrainingJob.jobIdFor(s.experimentId(), strategy, seed) + ".pt",
                sha256(bytes),
                (long) bytes.length);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
