package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A job that runs far longer than the consumer's max.poll.interval.ms (cut to 2 s here; real jobs run for hours against
 * the default 5 minutes) finishes once, in one attempt: no rebalance took it away and redelivered it.
 */
@QuarkusTest
@TestProfile(LongJobTest.ShortPollInterval.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class LongJobTest {
    public static class ShortPollInterval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the trainers' real group: the test broker's ACLs grant the trainer identity no other
            return Map.of("mp.messaging.incoming.training-jobs.max.poll.interval.ms", "2000");
        }
    }

    /** Enough for more than twice the poll interval on a fast 2-core machine (12 epochs took 3.7 s on an AMD EPYC). */
    private static final int EPOCHS = 30;

    @Test
    void aJobLongerThanThePollIntervalCompletesInOneAttempt() {
        UUID experiment = UUID.randomUUID();
        StrategySpec strategy = StrategySpec.named("full");
        HyperParameters hp = HyperParameters.builder()
                .epochs(EPOCHS)
                .trainBatchSize(8)
                .evalBatchSize(32)
                .imageSize(32)
                .build();
        TrainingJob job = FakeDatasetService.running().job(experiment, strategy, hp, ModelSpec.trainerDefault());
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));

        List<TrainingEvent> events = TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS.topicName(),
                        records -> records.stream()
                                .anyMatch(r -> experiment.toString().equals(r.key())
                                        && r.value().contains(JobCompleted.TYPE)),
                        Duration.ofMinutes(4))
                .stream()
                .filter(r -> experiment.toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class))
                .toList();
        JobCompleted completed = (JobCompleted) events.get(events.size() - 1);
        assertTrue(
                completed.wallSeconds() > 4,
                "the job must outlast the 2 s poll interval to prove anything, took " + completed.wallSeconds() + " s");
        assertTrue(events.stream().allMatch(e -> e.job().attempt() == 1), "redelivered: " + events);
        assertEquals(1 + EPOCHS + 1, events.size(), "JobStarted, every epoch, JobCompleted, each once");
    }
}
