package dev.tlab.dataset.api;

import static dev.tlab.dataset.api.PublishedEvents.jobsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.dataset.messaging.EventPublisher;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.kafka.test.TestKafka;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A big fan-out does not hold up other experiments: while the jobs of one experiment are still being published (held
 * here at a latch, standing in for a fan-out that takes long), another experiment's jobs go out. And a fan-out that is
 * going on when its experiment is cancelled publishes no further job.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ConcurrentFanOutTest {
    @Inject
    EventPublisher publisher;

    /** The real publisher, except that the jobs of one experiment wait for a latch before they are sent. */
    static final class HeldPublisher implements EventPublisher {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** The held experiment's publishJobs has returned. */
        final CountDownLatch finished = new CountDownLatch(1);

        private final EventPublisher real;
        private final UUID held;

        HeldPublisher(EventPublisher real, UUID held) {
            this.real = real;
            this.held = held;
        }

        @Override
        public void publishExperiment(ExperimentRequested event) {
            real.publishExperiment(event);
        }

        @Override
        public void publishManifest(dev.tlab.contracts.DatasetManifest manifest) {
            real.publishManifest(manifest);
        }

        @Override
        public void publishCancellation(dev.tlab.contracts.ExperimentCancelled cancellation) {
            real.publishCancellation(cancellation);
        }

        @Override
        public void publishFailure(dev.tlab.contracts.ExperimentFailed failure) {
            real.publishFailure(failure);
        }

        @Override
        public void publishJobs(List<TrainingJob> jobs, BooleanSupplier stop, Consumer<TrainingJob> published) {
            if (jobs.stream().noneMatch(job -> job.experimentId().equals(held))) {
                real.publishJobs(jobs, stop, published);
                return;
            }
            reached.countDown();
            try {
                if (!release.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("never released");
                }
                real.publishJobs(jobs, stop, published);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                finished.countDown();
            }
        }
    }

    @Test
    void anotherExperimentsJobsDoNotWaitBehindAFanOut() throws InterruptedException {
        UUID slow = UUID.randomUUID();
        UUID quick = UUID.randomUUID();
        HeldPublisher held = new HeldPublisher(ClientProxy.unwrap(publisher), slow);
        QuarkusMock.installMockForType(held, EventPublisher.class);

        send(slow, 4);
        assertTrue(held.reached.await(60, TimeUnit.SECONDS), "the first experiment's fan-out started");
        send(quick, 1);
        try {
            assertEquals(1, jobsOf(quick, 1).size(), "published while the first fan-out is still going on");
        } finally {
            held.release.countDown();
        }
        assertEquals(4, jobsOf(slow, 4).size());
    }

    @Test
    void aFanOutCancelledWhileItRunsPublishesNoFurtherJob() throws InterruptedException {
        UUID cancelled = UUID.randomUUID();
        HeldPublisher held = new HeldPublisher(ClientProxy.unwrap(publisher), cancelled);
        QuarkusMock.installMockForType(held, EventPublisher.class);

        send(cancelled, 3);
        assertTrue(held.reached.await(60, TimeUnit.SECONDS), "the fan-out started");
        try {
            given().queryParam("reason", "stop the fan-out")
                    .delete("/experiments/" + cancelled)
                    .then()
                    .statusCode(202)
                    .body("alreadyCancelled", is(false));
        } finally {
            held.release.countDown();
        }
        assertTrue(held.finished.await(60, TimeUnit.SECONDS), "the fan-out ended");
        assertEquals(
                List.of(),
                TestKafka.readToEnd(Topic.TRAINING_JOBS.topicName()).stream()
                        .filter(r -> r.value().contains(cancelled.toString()))
                        .toList(),
                "none of the cancelled experiment's jobs was published");
    }

    private static void send(UUID experimentId, int seeds) {
        ExperimentRequested request = ExperimentRequested.create(
                experimentId,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(null, 2, null),
                List.of(StrategySpec.named(StrategySpec.FULL)),
                null,
                null,
                java.util.stream.LongStream.range(0, seeds).boxed().toList());
        TestKafka.send(Topic.EXPERIMENTS.topicName(), experimentId.toString(), EventCodec.toJson(request));
    }
}
