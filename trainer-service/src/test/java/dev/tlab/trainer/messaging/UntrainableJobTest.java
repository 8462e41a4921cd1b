package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
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

/**
 * A job whose strategy names a parameter the model does not have fails at once with the pattern in the reason, instead
 * of "completing" with fewer (or zero) trainable parameters than asked; so does a job in a precision the trainer's
 * device cannot compute in.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(FakeDatasetService.class)
class UntrainableJobTest {
    @Test
    void aPatternThatMatchesNothingFailsTheJobBeforeTraining() {
        String reason = onlyFailure(
                new StrategySpec("typo", List.of("fc.*", "layer5.*")),
                HyperParameters.builder()
                        .epochs(1)
                        .trainBatchSize(16)
                        .evalBatchSize(32)
                        .imageSize(16)
                        .build());
        assertTrue(reason.contains("strategy.trainable[1]: pattern 'layer5.*' matches no parameter"), reason);
        assertTrue(reason.startsWith("not retried"), "a pattern no attempt can satisfy is not retried: " + reason);
    }

    /** A job that got past the plan check (no trainer answered it) still never trains in fp16 on this CPU trainer. */
    @Test
    void anFp16JobOnACpuTrainerFailsAtOnceNamingThePrecision() {
        String reason = onlyFailure(
                StrategySpec.named("freeze"),
                HyperParameters.builder()
                        .epochs(1)
                        .trainBatchSize(16)
                        .evalBatchSize(32)
                        .imageSize(16)
                        .precision(Precision.FP16)
                        .build());
        assertTrue(reason.contains("hyperParameters.precision: fp16 trains only on a GPU"), reason);
        assertTrue(reason.startsWith("not retried"), "no attempt on this trainer can satisfy it: " + reason);
    }

    /** A job that selects its epoch on a dataset without a validation split (CIFAR-10 here) is failed, not retried. */
    @Test
    void aJobThatSelectsItsEpochWithoutValidationImagesFailsAtOnce() {
        String reason = onlyFailure(
                StrategySpec.named("freeze"),
                HyperParameters.builder()
                        .epochs(1)
                        .trainBatchSize(16)
                        .evalBatchSize(32)
                        .imageSize(16)
                        .selection(EpochSelection.byValidationAccuracy())
                        .build());
        assertTrue(reason.contains("has no validation images"), reason);
        assertTrue(reason.startsWith("not retried"), "no attempt brings validation images: " + reason);
    }

    /** Sends one job and returns the reason of its JobFailed, checking nothing else of it was published. */
    private static String onlyFailure(StrategySpec strategy, HyperParameters hp) {
        UUID experiment = UUID.randomUUID();
        TrainingJob job = FakeDatasetService.running().job(experiment, strategy, hp, ModelSpec.trainerDefault());
        TestKafka.send(Topic.TRAINING_JOBS.topicName(), job.jobId().toString(), EventCodec.toJson(job));

        List<TrainingEvent> events = TestKafka.pollUntil(
                        Topic.TRAINING_EVENTS.topicName(),
                        records -> records.stream()
                                .anyMatch(r -> experiment.toString().equals(r.key())
                                        && r.value().contains(JobFailed.TYPE)),
                        Duration.ofMinutes(2))
                .stream()
                .filter(r -> experiment.toString().equals(r.key()))
                .map(r -> EventCodec.fromJson(r.value(), TrainingEvent.class))
                .toList();
        assertEquals(
                List.of(JobFailed.TYPE),
                events.stream().map(TrainingEvent::type).toList(),
                "nothing was trained, nothing started");
        return ((JobFailed) events.get(0)).reason();
    }
}
