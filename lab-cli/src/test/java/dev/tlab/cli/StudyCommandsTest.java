package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.ExperimentSubmission;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.Views;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study's commands without a stack: {@code run --notebook} offline says which files to place where and starts
 * nothing; {@code trigger --like} rebuilds the exact request from the results service's record; {@code model} downloads
 * a model and keeps it only when its sha256 is the one the trainer reported.
 */
class StudyCommandsTest {
    @TempDir
    Path dir;

    @Test
    void notebookOfflineNamesEachMissingFileWithItsDigestAndStartsNothing() throws Exception {
        String[] err = new String[1];
        int code = capturingErr(
                err,
                () -> Lab.execute(
                        "run",
                        "--notebook",
                        "--offline",
                        "--root",
                        dir.toString(),
                        "--work-dir",
                        dir.resolve(".lab").toString(),
                        "--kafka-port",
                        "1"));
        assertEquals(ExitCodes.USAGE, code, err[0]);
        assertTrue(err[0].contains(dir.resolve(NotebookInputs.WEIGHTS_FILE).toString()), err[0]);
        assertTrue(err[0].contains("sha256 " + NotebookInputs.WEIGHTS_SHA256), err[0]);
        assertTrue(err[0].contains(NotebookInputs.WEIGHTS_URL), err[0]);
        assertTrue(
                err[0].contains(dir.resolve(".lab/data/cifar-10-binary.tar.gz").toString()), err[0]);
        assertTrue(err[0].contains("md5 " + NotebookInputs.CIFAR_MD5), err[0]);
        assertFalse(Files.exists(dir.resolve(".lab/broker")), "nothing was started");

        // a file in place with the wrong content is named as such; the one that is given is no longer asked for
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve(NotebookInputs.WEIGHTS_FILE), "not the weights");
        Path archive = Files.writeString(dir.resolve("cifar.tar.gz"), "x");
        code = capturingErr(
                err,
                () -> Lab.execute(
                        "run",
                        "--notebook",
                        "--offline",
                        "--root",
                        dir.toString(),
                        "--work-dir",
                        dir.resolve(".lab").toString(),
                        "--cifar-archive",
                        archive.toString()));
        assertEquals(ExitCodes.USAGE, code, err[0]);
        assertTrue(err[0].contains("the file there has sha256 "), err[0]);
        assertFalse(err[0].contains("md5 " + NotebookInputs.CIFAR_MD5), "--cifar-archive was given: " + err[0]);
    }

    @Test
    void likeRebuildsTheRecordedRequest() throws Exception {
        ExperimentRequested original = ExperimentRequested.create(
                UUID.randomUUID(),
                null,
                new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 50, 7L),
                List.of(
                        StrategySpec.named("freeze"),
                        new StrategySpec("top2", List.of("layer3.*", "layer4.*", "fc.*"))),
                HyperParameters.builder()
                        .epochs(4)
                        .trainBatchSize(32)
                        .evalBatchSize(64)
                        .backboneLearningRate(2e-4)
                        .headLearningRate(3e-3)
                        .weightDecay(0.02)
                        .imageSize(96)
                        .build(),
                new ModelSpec(ModelSpec.BUILT_IN_RESNET18, null, "/w/resnet18.safetensors", "ab".repeat(32)),
                List.of(0L, 3L));
        // the results service's own view type, as GET /experiments/{id} writes it
        Views.Request recorded = new Views.Request(
                "cifar10",
                false,
                "m-1",
                "a".repeat(64),
                "b".repeat(64),
                "c".repeat(64),
                original.subset(),
                original.strategies(),
                original.hyperParameters(),
                original.model(),
                original.seeds(),
                Instant.now());
        Views.Experiment experiment = new Views.Experiment(
                original.experimentId(),
                Instant.now(),
                Instant.now(),
                3,
                "completed",
                "cifar10",
                false,
                "m-1",
                List.of(),
                null,
                List.of(),
                null,
                null,
                recorded,
                null,
                null);

        ExperimentSubmission again = RecordedRequest.of(original.experimentId(), experiment);
        ExperimentRequested copy = again.toEvent();
        assertFalse(copy.experimentId().equals(original.experimentId()), "a new id");
        assertEquals(original.dataset(), copy.dataset());
        assertEquals(original.subset(), copy.subset());
        assertEquals(original.strategies(), copy.strategies());
        assertEquals(original.hyperParameters(), copy.hyperParameters());
        assertEquals(original.model(), copy.model());
        assertEquals(original.seeds(), copy.seeds());

        // through the command: the record is fetched from the results service; no broker: unreachable, not bad usage
        HttpServer server = serve(Map.of(
                "/experiments/" + original.experimentId(),
                () -> EventCodec.toJson(experiment).getBytes(StandardCharsets.UTF_8)));
        try {
            String[] err = new String[1];
            int code = capturingErr(
                    err,
                    () -> Lab.execute(
                            "trigger",
                            "--like",
                            original.experimentId().toString(),
                            "--results-url",
                            url(server),
                            "--bootstrap-servers",
                            "127.0.0.1:1",
                            "--kafka-config",
                            "target/no-such-client.properties"));
            assertEquals(
                    ExitCodes.USAGE,
                    code,
                    "the request was rebuilt and checked, then the missing login refused: " + err[0]);
            code = capturingErr(
                    err,
                    () -> Lab.execute(
                            "trigger",
                            "--like",
                            UUID.randomUUID().toString(),
                            "--results-url",
                            url(server),
                            "--bootstrap-servers",
                            "127.0.0.1:1"));
            assertEquals(ExitCodes.EXPERIMENT_FAILED, code);
            assertTrue(err[0].contains("--like: no experiment"), err[0]);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void modelIsSavedOnlyWhenItsDigestIsTheReportedOne() throws Exception {
        UUID experiment = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        byte[] model = "pretend TorchScript".getBytes(StandardCharsets.UTF_8);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        String href = "/experiments/" + experiment + "/jobs/" + job + "/model";
        String[] reported = {sha};
        HttpServer server = serve(Map.of(
                "/experiments/" + experiment + "/models",
                () -> ("{\"experimentId\":\"" + experiment + "\",\"best\":null,"
                                + "\"models\":[{\"jobId\":\"" + job
                                + "\",\"strategy\":\"partial\",\"seed\":0,\"testAccuracy\":0.84,"
                                + "\"sha256\":" + (reported[0] == null ? "null" : "\"" + reported[0] + "\"")
                                + ",\"bytes\":" + model.length + ",\"href\":\"" + href
                                + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8),
                href,
                () -> model));
        try {
            Path out = dir.resolve("best.pt");
            assertEquals(
                    ExitCodes.OK,
                    Lab.execute("model", experiment.toString(), "-o", out.toString(), "--results-url", url(server)));
            assertEquals(
                    sha,
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out))));

            reported[0] = "0".repeat(64); // the trainer reported another digest: the bytes are not the model
            Path other = dir.resolve("other.pt");
            String[] err = new String[1];
            int code = capturingErr(
                    err,
                    () -> Lab.execute(
                            "model", experiment.toString(), "-o", other.toString(), "--results-url", url(server)));
            assertEquals(ExitCodes.EXPERIMENT_FAILED, code, err[0]);
            assertTrue(err[0].contains("has sha256 " + sha + " but the trainer reported " + "0".repeat(64)), err[0]);
            assertFalse(Files.exists(other), "nothing is saved");
            try (var left = Files.list(dir)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file left");
            }

            reported[0] = null; // a service that names no digest: nothing could be verified, so nothing is fetched
            code = capturingErr(
                    err,
                    () -> Lab.execute(
                            "model", experiment.toString(), "-o", other.toString(), "--results-url", url(server)));
            assertEquals(ExitCodes.EXPERIMENT_FAILED, code, err[0]);
            assertTrue(err[0].contains("no valid sha256"), err[0]);
            assertFalse(Files.exists(other), "nothing is saved");
            assertEquals(
                    ExitCodes.EXPERIMENT_FAILED,
                    Lab.execute(
                            "model",
                            experiment.toString(),
                            "--strategy",
                            "full",
                            "-o",
                            other.toString(),
                            "--results-url",
                            url(server)));
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer serve(Map<String, Supplier<byte[]>> routes) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Supplier<byte[]> body = routes.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] bytes = body.get();
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int capturingErr(String[] err, Supplier<Integer> run) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(saved);
            err[0] = buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
