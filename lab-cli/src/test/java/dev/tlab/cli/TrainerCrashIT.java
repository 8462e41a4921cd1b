package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tlab.cli.client.ExperimentPublisher;
import dev.tlab.cli.client.ResultsClient;
import dev.tlab.cli.stack.LocalStack;
import dev.tlab.cli.stack.ServiceProcess;
import dev.tlab.cli.view.ProgressView;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.KafkaAccess;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trainer killed mid-job (SIGKILL, no goodbye): the job's uncommitted offset goes to the other trainer after the
 * group notices, and it resumes from the last checkpoint on the shared volume. Nothing is lost and no epoch is
 * counted twice.
 */
class TrainerCrashIT {
    private static final int EPOCHS = 12; // long enough that the kill lands mid-job even on a loaded machine
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void startStackWithTwoTrainers() {
        stack = TestStacks.start("crash", 2, 30, Map.of(
                // the group notices a dead member after this long (45 s by default)
                "mp.messaging.incoming.training-jobs.session.timeout.ms", "6000",
                "mp.messaging.incoming.training-jobs.heartbeat.interval.ms", "1000"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aJobWhoseTrainerDiesResumesOnAnotherTrainerFromItsCheckpoint() throws Exception {
        HyperParameters hp = new HyperParameters(EPOCHS, 10, 50, null, null, null, null, null, null, 32, null);
        ExperimentRequested request = ExperimentRequested.create(UUID.randomUUID(), DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 30, 0L), List.of(StrategySpec.named("full")), hp,
                ModelSpec.trainerDefault(), List.of(0L));
        ExperimentPublisher.publish(stack.clientConfig(KafkaAccess.Identity.TRIGGER), request);
        ResultsClient results = new ResultsClient(stack.settings().resultsUrl());

        awaitEpochs(results, request.experimentId(), 1, Duration.ofMinutes(2));
        ServiceProcess busy = busyTrainer();
        int epochsBeforeKill = epochs(results.experiment(request.experimentId()).orElseThrow()).size();
        System.out.printf("[crash] killing %s after %d epoch(s)%n", busy.baseUrl(), epochsBeforeKill);
        busy.kill();
        assertTrue(epochsBeforeKill < EPOCHS, "the job must still be running when its trainer dies");

        JsonNode experiment = ExperimentWatcher.watch(results, request.experimentId(), 1, Duration.ofMinutes(4),
                new ProgressView(System.out, false), () -> true);
        JsonNode strategy = experiment.path("strategies").get(0);
        assertEquals("completed", strategy.path("state").asText());
        assertEquals(IntStream.rangeClosed(1, EPOCHS).boxed().toList(), epochs(experiment),
                "every epoch once, none lost, none twice");
        JsonNode run = strategy.path("runs").get(0);
        assertTrue(run.path("attempt").asInt() >= 2, "the job ran again on the surviving trainer: " + run);
        assertTrue(run.path("startEpoch").asInt() > 1, "and resumed from its checkpoint instead of starting over: " + run);
    }

    private static void awaitEpochs(ResultsClient results, UUID experimentId, int atLeast, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var experiment = results.experiment(experimentId);
            if (experiment.isPresent() && epochs(experiment.get()).size() >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no epoch finished within " + timeout);
    }

    private static List<Integer> epochs(JsonNode experiment) {
        List<Integer> epochs = new ArrayList<>();
        experiment.path("strategies").path(0).path("epochs").forEach(e -> epochs.add(e.path("epoch").asInt()));
        return epochs;
    }

    /** The trainer whose jobs-active gauge says it is training. */
    private static ServiceProcess busyTrainer() throws Exception {
        for (ServiceProcess service : stack.services()) {
            if (!service.name().equals("trainer-service")) {
                continue;
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.lines().anyMatch(l -> l.startsWith("tl_trainer_jobs_active") && l.endsWith(" 1.0"))) {
                return service;
            }
        }
        throw new AssertionError("no trainer reports an active job");
    }
}
