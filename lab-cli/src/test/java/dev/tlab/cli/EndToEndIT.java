package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.NativeEnvironment;
import dev.tlab.cli.stack.ServiceProcess;
import dev.tlab.cli.stack.StackSettings;
import dev.tlab.cli.stack.TrainerAllocator;
import dev.tlab.cli.view.LeaderboardTable;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.Views;
import dev.tlab.deploy.DashboardMetrics;
import dev.tlab.deploy.DashboardQueries;
import dev.tlab.deploy.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system: one real broker and the three packaged services as separate processes on loopback. One experiment
 * (three strategies, tiny synthetic subset, the small model) goes in as a Kafka message; the leaderboard comes out of
 * the results service. A real Prometheus scrapes the services meanwhile, and every query of the Grafana dashboard is
 * then evaluated through it.
 */
class EndToEndIT {
    private static final int EPOCHS = 2;
    private static final List<String> STRATEGIES = List.of("freeze", "partial", "full");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startStack() {
        stack = TestStacks.start("e2e", 1, 20, Map.of());
        List<PrometheusServer.ScrapeJob> jobs = stack.services().stream()
                .map(s -> new PrometheusServer.ScrapeJob(
                        s.name(), "/q/metrics", List.of(URI.create(s.baseUrl()).getAuthority())))
                .toList();
        prometheus = PrometheusServer.start(stack.settings().workDir().resolve("prometheus"), jobs);
    }

    @AfterAll
    static void stopStack() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void threeStrategiesGoThroughTheWholeSystem() throws Exception {
        HyperParameters hp = HyperParameters.builder()
                .epochs(EPOCHS)
                .trainBatchSize(16)
                .evalBatchSize(50)
                .imageSize(16)
                .build();
        ExperimentRequested request = ExperimentRequested.create(
                UUID.randomUUID(),
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 8, 0L),
                STRATEGIES.stream().map(StrategySpec::named).toList(),
                hp,
                ModelSpec.trainerDefault(),
                List.of(0L));
        assertBadRequestsAreRejectedNamingTheField();
        long published = System.nanoTime();
        ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);

        ResultsClient results = new ResultsClient(stack.settings().resultsUrl());
        Views.Experiment experiment = ExperimentWatcher.watch(
                results,
                request.experimentId(),
                STRATEGIES.size(),
                Duration.ofMinutes(4),
                new ProgressView(System.out, false),
                () -> stack.check(System.out::println));
        System.out.printf("[e2e] experiment done in %d ms%n", (System.nanoTime() - published) / 1_000_000);

        Views.Leaderboard leaderboard =
                results.leaderboard(request.experimentId()).orElseThrow();
        System.out.print(LeaderboardTable.render(leaderboard));
        assertTrue(leaderboard.synthetic(), "the leaderboard says the data was synthetic");

        Map<String, Long> planned = plannedTrainable();
        Map<String, Double> accuracy = new HashMap<>();
        for (Views.LeaderboardRow row : leaderboard.rows()) {
            String strategy = row.strategy();
            assertEquals("completed", row.state(), strategy);
            double testAccuracy = row.testAccuracy() == null ? -1 : row.testAccuracy();
            assertTrue(testAccuracy >= 0 && testAccuracy <= 1, strategy + " accuracy " + testAccuracy);
            assertEquals(planned.get(strategy), row.trainableParameters(), strategy + " trainable");
            accuracy.put(strategy, testAccuracy);
        }
        assertEquals(Set.copyOf(STRATEGIES), accuracy.keySet());
        assertTrue(planned.get("freeze") < planned.get("partial") && planned.get("partial") < planned.get("full"));

        String best = leaderboard.best().strategy();
        assertEquals(
                accuracy.values().stream().max(Double::compare).orElseThrow(),
                accuracy.get(best),
                1e-12,
                "the best strategy has the highest test accuracy");

        assertTheRecordAndTheBestModelDownload(request, best);

        for (Views.Strategy strategy : experiment.strategies()) {
            List<Integer> epochs =
                    strategy.epochs().stream().map(Views.Epoch::epoch).toList();
            assertEquals(List.of(1, 2), epochs, "every epoch event of " + strategy.strategy());
        }
        assertMetrics();
        assertEveryDashboardQueryHasData(request.experimentId());
    }

    /**
     * The experiment's record names the request and what ran each job; {@code ./lab model} downloads the best job's
     * fine-tuned TorchScript model that the trainer kept, with the digest the trainer reported.
     */
    private static void assertTheRecordAndTheBestModelDownload(ExperimentRequested request, String best)
            throws Exception {
        Views.Experiment experiment = new ResultsClient(stack.settings().resultsUrl())
                .experiment(request.experimentId())
                .orElseThrow();
        Views.Request recorded = experiment.request();
        assertEquals(
                request.hyperParameters().epochs(), recorded.hyperParameters().epochs(), recorded.toString());
        assertEquals(STRATEGIES.size(), recorded.strategies().size());
        assertEquals(64, recorded.subsetDigest().length());
        for (Views.Strategy strategy : experiment.strategies()) {
            Views.Run run = strategy.runs().get(0);
            assertEquals("PyTorch", run.environment().engine(), run.toString());
            assertTrue(run.startedAt() != null && run.finishedAt() != null, run.toString());
            assertEquals(64, run.model().sha256().length(), run.toString());
        }
        assertEquals(
                best, experiment.bestModel().strategy(), experiment.bestModel().toString());
        java.nio.file.Path file = stack.settings().workDir().resolve("best-model.pt");
        assertEquals(
                ExitCodes.OK,
                Lab.execute(
                        "model",
                        request.experimentId().toString(),
                        "-o",
                        file.toString(),
                        "--results-url",
                        stack.settings().resultsUrl()));
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        assertEquals(
                experiment.bestModel().sha256(),
                java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(bytes)));
        assertTrue(bytes[0] == 'P' && bytes[1] == 'K', "a TorchScript archive (zip)");

        // the downloaded file is the model that made the number: loaded back in DJL, it scores the same on the test set
        byte[] testSet = HTTP.send(
                        HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/manifests/"
                                        + recorded.manifestId() + "/test"))
                                .header(
                                        "Authorization",
                                        "Bearer " + stack.secrets().readerToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
        double again = dev.tlab.trainer.engine.ModelEvaluator.accuracy(
                file,
                dev.tlab.datafiles.CifarRecords.fromBytes(testSet),
                recorded.hyperParameters().imageSize(),
                recorded.hyperParameters().evalBatchSize(),
                ai.djl.Device.cpu());
        assertEquals(
                experiment.bestModel().testAccuracy(), again, 1e-12, "the downloaded model scores what was reported");
    }

    /**
     * Every panel expression of deploy/grafana/tlab-dashboard.json (variables set to this experiment and its
     * strategies) is valid PromQL and returns series from the running services, and each variable offers values. The
     * consumer-group lag (Strimzi's Kafka Exporter) and the GPU panels (NVIDIA's DCGM exporter) come from exporters no
     * local stack runs: those expressions must be valid but may be empty here.
     */
    private static void assertEveryDashboardQueryHasData(UUID experimentId) {
        Map<String, String> values =
                Map.of("experiment", experimentId.toString(), "strategy", String.join("|", STRATEGIES));
        List<DashboardQueries.Problem> problems = DashboardQueries.await(
                prometheus,
                DashboardMetrics.dashboard(),
                values,
                EndToEndIT::onlyClusterExporterMetrics,
                Duration.ofMinutes(2));
        assertTrue(
                problems.isEmpty(),
                "dashboard queries without data or invalid:\n"
                        + problems.stream().map(Object::toString).collect(java.util.stream.Collectors.joining("\n")));
    }

    private static boolean onlyClusterExporterMetrics(String expr) {
        Set<String> metrics = DashboardMetrics.metricsIn(expr);
        return !metrics.isEmpty() && metrics.stream().allMatch(DashboardMetrics::fromClusterExporter);
    }

    /**
     * {@code ./lab cancel}: the running job stops at its next batch and the queued one is skipped; both report
     * cancelled, the leaderboard JSON and the page say so, and the documented exit codes hold.
     */
    @Test
    void aRunningExperimentIsCancelledWithLabCancel() throws Exception {
        // in bf16: the precision travels request -> job -> JobStarted -> leaderboard (its numerics are the engine's
        // tests)
        HyperParameters hp = HyperParameters.builder()
                .epochs(40)
                .trainBatchSize(16)
                .evalBatchSize(50)
                .imageSize(16)
                .precision(Precision.BF16)
                .build();
        ExperimentRequested request = ExperimentRequested.create(
                UUID.randomUUID(),
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 8, 0L),
                List.of(StrategySpec.named("full"), StrategySpec.named("partial")),
                hp,
                ModelSpec.trainerDefault(),
                List.of(0L));
        ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);
        ResultsClient results = new ResultsClient(stack.settings().resultsUrl());
        String id = request.experimentId().toString();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (results.experiment(request.experimentId())
                .map(e -> e.strategies().stream().allMatch(s -> s.epochs().isEmpty()))
                .orElse(true)) {
            assertTrue(System.nanoTime() < deadline, "no epoch of the experiment finished");
            Thread.sleep(200);
        }
        String dataset = stack.settings().datasetUrl();
        String resultsUrl = stack.settings().resultsUrl();
        String token = stack.secrets().triggerToken();
        assertEquals(
                ExitCodes.USAGE,
                Lab.execute(
                        "cancel",
                        id,
                        "--dataset-url",
                        dataset,
                        "--token-file",
                        stack.settings().workDir().resolve("no-such-token").toString()),
                "the trigger token is required");
        assertEquals(
                ExitCodes.OK,
                Lab.execute(
                        "cancel",
                        id,
                        "--dataset-url",
                        dataset,
                        "--results-url",
                        resultsUrl,
                        "--token-file",
                        stack.secrets().triggerTokenFile().toString(),
                        "--reason",
                        "stopped by the end-to-end test",
                        "--wait",
                        "--timeout",
                        "PT3M"));

        Views.Leaderboard leaderboard =
                results.leaderboard(request.experimentId()).orElseThrow();
        assertEquals("cancelled", leaderboard.state(), leaderboard.toString());
        assertEquals(
                "stopped by the end-to-end test", leaderboard.cancellation().reason());
        for (Views.LeaderboardRow row : leaderboard.rows()) {
            assertEquals("cancelled", row.state(), row.toString());
            assertEquals(Precision.BF16, row.precision(), row.toString());
        }
        // the strategy whose job was running (the other one's job was queued and skipped)
        Views.Strategy ran = results.experiment(request.experimentId()).orElseThrow().strategies().stream()
                .filter(s -> !s.epochs().isEmpty())
                .findFirst()
                .orElseThrow();
        assertTrue(ran.epochs().size() < 40, "stopped mid-job: " + ran.epochs().size() + " epochs");
        Views.Run run = ran.runs().get(0);
        assertEquals(Precision.BF16, run.precision(), "the trainer's JobStarted: " + run);
        // tlab.trainer.channels-last=auto (the stack's default) at 16 px: partial channels-last, full contiguous
        // (trainer-engine ChannelsLast); which of the two ran first depends on the partitions
        assertEquals(
                ran.strategy().equals("partial") ? "channels-last" : "contiguous",
                run.environment().memoryFormat(),
                "the format auto picks for " + ran.strategy() + ": " + run);
        HttpResponse<String> page = HTTP.send(
                HttpRequest.newBuilder(URI.create(results.pageUrl(request.experimentId())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(page.body().contains("CANCELLED"), "the page shows it");

        assertEquals(ExitCodes.CANCELLED, Lab.execute("watch", id, "--results-url", resultsUrl, "--timeout", "PT1M"));
        assertEquals(
                ExitCodes.OK,
                Lab.execute("cancel", id, "--dataset-url", dataset, "--token", token),
                "cancelling twice is fine");
        assertEquals(
                ExitCodes.EXPERIMENT_FAILED,
                Lab.execute("cancel", UUID.randomUUID().toString(), "--dataset-url", dataset, "--token", token),
                "unknown experiment");
        String trainerMetrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(trainer().baseUrl() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(
                trainerMetrics
                        .lines()
                        .anyMatch(l -> l.startsWith("tl_trainer_jobs_cancelled_total")
                                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 2),
                "the running and the queued job");
    }

    private static ServiceProcess trainer() {
        return stack.services().stream()
                .filter(s -> s.name().equals("trainer-service"))
                .findFirst()
                .orElseThrow();
    }

    private static void assertBadRequestsAreRejectedNamingTheField() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/experiments"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + stack.secrets().triggerToken())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"hyperParameters\":{\"epochs\":0}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("hyperParameters.epochs"), response.body());
    }

    /** The stack generated its tokens: without them, nobody starts an experiment or reads the data. */
    @Test
    void theRestApiNeedsTheGeneratedTokens() throws Exception {
        HttpResponse<String> trigger = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/experiments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, trigger.statusCode(), trigger.body());
        HttpResponse<String> data = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.settings().datasetUrl() + "/manifests"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, data.statusCode(), data.body());
        assertTrue(
                java.nio.file.Files.readString(stack.secrets().triggerTokenFile())
                        .contains(stack.secrets().triggerToken()),
                "the token the README tells people to read");
    }

    /** What `ss -ltnp` would show for the stack's processes: every listening socket is on loopback. */
    @Test
    void everyListenerOfTheStackIsOnLoopback() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ListeningSockets.supported(), "needs Linux's /proc/net/tcp");
        List<ListeningSockets.Listener> listeners = ListeningSockets.of(stack.pids());
        System.out.println("[e2e] listening: " + listeners);
        Set<Integer> ports = new TreeSet<>();
        listeners.forEach(l -> ports.add(l.port()));
        StackSettings settings = stack.settings();
        for (int expected : List.of(
                settings.kafkaPort(),
                settings.kafkaPort() + 1,
                settings.datasetPort(),
                settings.resultsPort(),
                settings.trainerPort())) {
            assertTrue(ports.contains(expected), "port " + expected + " is among the stack's listeners " + listeners);
        }
        List<ListeningSockets.Listener> exposed =
                listeners.stream().filter(l -> !l.address().isLoopbackAddress()).toList();
        assertTrue(exposed.isEmpty(), "listening beyond this machine: " + exposed);
    }

    /** The trainer process started with every trainer's native settings (read back from Linux's /proc/PID/environ). */
    @Test
    void theTrainerStartsWithTheTrainersNativeEnvironment() throws Exception {
        java.nio.file.Path environ =
                java.nio.file.Path.of("/proc", String.valueOf(trainer().pid()), "environ");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(environ), "needs Linux's /proc");
        // glibc parses GLIBC_TUNABLES in place at start, turning its ':' separators into the NULs that also separate
        // the variables in environ: compare with every NUL read as ':'
        String variables = ":"
                + new String(java.nio.file.Files.readAllBytes(environ), java.nio.charset.StandardCharsets.UTF_8)
                        .replace('\0', ':');
        Map<String, String> expected =
                NativeEnvironment.trainer(stack.settings().trainers());
        expected.forEach((name, value) ->
                assertTrue(variables.contains(":" + name + "=" + value + ":"), name + "=" + value + " in " + environ));
        // the preloaded allocator is the one the process runs with (where this machine has tcmalloc: ./lab test's
        // tools install it), not only a variable
        String maps = java.nio.file.Files.readString(environ.resolveSibling("maps"));
        assertEquals(
                expected.getOrDefault("LD_PRELOAD", "").contains(TrainerAllocator.TCMALLOC_LIBRARY),
                maps.contains("/" + TrainerAllocator.TCMALLOC_LIBRARY),
                "tcmalloc mapped in the trainer's process as " + expected + " says");
    }

    private static Map<String, Long> plannedTrainable() throws Exception {
        ServiceProcess trainer = stack.services().stream()
                .filter(s -> s.name().equals("trainer-service"))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(trainer.baseUrl() + "/plan"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + stack.secrets().planToken())
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Long> planned = new HashMap<>();
        EventCodec.mapper()
                .readTree(response.body())
                .forEach(p -> planned.put(
                        p.path("strategy").asText(),
                        p.path("trainableParameters").asLong()));
        return planned;
    }

    /** Each service's /q/metrics answers, and every metric the Grafana dashboard queries is exposed by one of them. */
    private static void assertMetrics() throws Exception {
        StringBuilder all = new StringBuilder();
        for (ServiceProcess service : stack.services()) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), service.name());
            all.append(response.body()).append('\n');
        }
        String exposed = all.toString();
        assertTrue(exposed.contains("tl_strategy_test_accuracy"), "results metrics");
        assertTrue(exposed.contains("tl_trainer_jobs_completed_total"), "trainer metrics");
        Set<String> missing = new TreeSet<>();
        for (String metric : dashboardMetrics()) {
            if (DashboardMetrics.fromClusterExporter(metric)) {
                continue; // Strimzi's Kafka Exporter (broker-side lag), NVIDIA's DCGM exporter (GPUs): not the lab's
            }
            if (!Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]")
                    .matcher(exposed)
                    .find()) {
                missing.add(metric);
            }
        }
        assertFalse(dashboardMetrics().isEmpty(), "the dashboard queries metrics");
        assertTrue(missing.isEmpty(), "the Grafana dashboard queries metrics no service exposes: " + missing);
    }

    private static Set<String> dashboardMetrics() {
        return DashboardMetrics.names();
    }
}
