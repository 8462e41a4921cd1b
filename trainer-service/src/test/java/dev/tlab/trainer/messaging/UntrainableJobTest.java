package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job whose strategy names a parameter the model does not have fails at once with the pattern in the reason,
 * instead of "completing" with fewer (or zero) trainable parameters than asked.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class UntrainableJobTest {
    @RegisterExtension
    static final FakeDatasetService dataset = new FakeDatasetService();

    @Test
    void aPatternThatMatchesNothingFailsTheJobBeforeTraining() {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = dataset.job(experiment, new StrategySpec("typo", List.of("fc.*", "layer5.*")),
                new HyperParameters(1, 16, 32, null, null, null, null, null, null, 16, null, null), ModelSpec.trainerDefault());
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));

        List<TrainingEvent> events = TestKafka.pollUntil(Topic.TRAINING_EVENTS.topicName(),
                        records -> records.stream().anyMatch(r -> experiment.toString().equals(r.key())
                                && r.value().contains(JobFailed.TYPE)), Duration.ofMinutes(2)).stream()
                .filter(r -> experiment.toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class)).toList();
        assertEquals(List.of(JobFailed.TYPE), events.stream().map(TrainingEvent::type).toList(),
                "nothing was trained, nothing started");
        String reason = ((JobFailed) events.get(0)).reason();
        assertTrue(reason.contains("strategy.trainable[1]: pattern 'layer5.*' matches no parameter"), reason);
        assertTrue(reason.startsWith("not retried"), "a pattern no attempt can satisfy is not retried: " + reason);
    }
}
