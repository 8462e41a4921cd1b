package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.trainer.job.JobRunner;
import dev.tlab.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class TrainingJobListenerTest {
    /** A valid job whose events cannot be written (broker down) must not be dead-lettered, nor acknowledged. */
    @Test
    void aJobWhoseEventsCannotBePublishedIsNeitherAckedNorNacked() {
        UUID experiment = UUID.randomUUID();
        CancelledExperiments cancelled = new CancelledExperiments();
        cancelled.add(ExperimentCancelled.of(experiment, "the quickest path to a publish")); // no engine needed
        JobRunner runner = new JobRunner(
                null,
                null,
                null,
                new TrainerMetrics(new SimpleMeterRegistry()),
                null,
                cancelled,
                null,
                Clock.systemUTC());
        JobRunner.Publisher brokerDown = new JobRunner.Publisher() {
            @Override
            public void event(TrainingEvent event) {
                throw new IllegalStateException("broker unreachable");
            }

            @Override
            public void nextAttempt(TrainingJob job) {
                throw new IllegalStateException("broker unreachable");
            }
        };
        TrainingJob job = new TrainingJob(
                UUID.randomUUID(),
                TrainingJob.TYPE,
                1,
                Instant.now(),
                TrainingJob.jobIdFor(experiment, "full", 0),
                experiment,
                "m-1",
                "http://127.0.0.1:9/manifests/m-1",
                "synthetic",
                true,
                StrategySpec.named("full"),
                HyperParameters.notebook(),
                ModelSpec.trainerDefault(),
                0L,
                1);
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger nacks = new AtomicInteger();
        Message<byte[]> message = Message.of(
                EventCodec.toBytes(job),
                () -> {
                    acks.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    nacks.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
        new TrainingJobListener(runner, brokerDown, new RunningJob())
                .consume(message)
                .toCompletableFuture()
                .join();
        assertEquals(0, acks.get());
        assertEquals(0, nacks.get(), "a nack would copy a valid job to the dead-letter topic");
    }
}
