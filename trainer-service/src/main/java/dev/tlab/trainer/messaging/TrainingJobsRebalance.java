package dev.tlab.trainer.messaging;

import dev.tlab.trainer.TrainerConfig;
import dev.tlab.trainer.metrics.TrainerMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fences a running job when its partition of {@code training-jobs} goes to another trainer (a trainer joined, so the
 * cooperative-sticky assignor moves partitions over its quota; or the consumer leaves the group).
 *
 * <p>Why waiting here works (kafka-clients 4.1, classic group protocol): {@code ConsumerCoordinator.onJoinComplete}
 * calls this callback on the consumer's polling thread for the partitions no longer assigned, before the consumer gives
 * them up and rejoins; the assignor hands a revoked partition to its new owner only in the rebalance that this rejoin
 * starts. So while the callback waits for the job to stop at its next batch, nobody else can take the job's record;
 * once it returns, the new owner reads the uncommitted record and resumes from the checkpoint of the last completed
 * epoch. The wait is bounded by {@code tlab.trainer.revocation-timeout}, capped at half of the channel's
 * {@code max.poll.interval.ms}: the callback runs inside {@code poll()}, and a poll that lasts longer than that makes
 * the consumer leave the group. SmallRye Kafka 4.33 calls it after its own handling (queued records of the partition
 * dropped, acknowledged offsets committed).
 *
 * <p>A job that still ends with a result while the callback waits (it was publishing JobCompleted) is acknowledged too
 * late for SmallRye's commit handler, which has already forgotten the partition: its offset is committed here, so the
 * new owner does not run it again. A job that does not stop in time is fenced: it publishes nothing more.
 */
@ApplicationScoped
@Identifier(TrainingJobsRebalance.NAME)
public class TrainingJobsRebalance implements KafkaConsumerRebalanceListener {
    /** mp.messaging.incoming.training-jobs.consumer-rebalance-listener.name */
    static final String NAME = "training-jobs-rebalance";

    private static final Logger LOG = Logger.getLogger(TrainingJobsRebalance.class);
    /** Kafka's default max.poll.interval.ms. */
    private static final Duration KAFKA_DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);

    private final RunningJob running;
    private final TrainerMetrics metrics;
    private final Duration wait;

    @Inject
    public TrainingJobsRebalance(
            RunningJob running,
            TrainerMetrics metrics,
            TrainerConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.training-jobs.max.poll.interval.ms")
                    Optional<Long> maxPollIntervalMs) {
        this(
                running,
                metrics,
                waitFor(
                        config.revocationTimeout(),
                        maxPollIntervalMs.map(Duration::ofMillis).orElse(KAFKA_DEFAULT_POLL_INTERVAL)));
    }

    TrainingJobsRebalance(RunningJob running, TrainerMetrics metrics, Duration wait) {
        this.running = running;
        this.metrics = metrics;
        this.wait = wait;
    }

    /** The configured wait, at most half the poll interval, so that this consumer stays in the group. */
    static Duration waitFor(Duration configured, Duration maxPollInterval) {
        Duration cap = maxPollInterval.dividedBy(2);
        return configured.compareTo(cap) > 0 ? cap : configured;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        running.current()
                .filter(lease -> lease.partition() != null && partitions.contains(lease.partition()))
                .ifPresent(lease -> stop(consumer, lease));
    }

    private void stop(Consumer<?, ?> consumer, JobLease lease) {
        long started = System.nanoTime();
        lease.revoke();
        Optional<Boolean> acknowledged = lease.awaitEnd(wait);
        if (acknowledged.isEmpty()) {
            lease.fence();
            metrics.revocationTimedOut();
            LOG.errorf(
                    "the job at %s offset %d did not stop within %s after its partition was revoked; it publishes"
                            + " nothing more, but its next owner may train it while it still runs"
                            + " (tlab.trainer.revocation-timeout)",
                    lease.partition(), lease.offset(), wait);
            return;
        }
        LOG.infof(
                "partition %s revoked: its job (offset %d) %s in %d ms",
                lease.partition(),
                lease.offset(),
                acknowledged.get() ? "ended" : "stopped at a batch boundary, its checkpoint kept, for its next owner",
                (System.nanoTime() - started) / 1_000_000);
        if (acknowledged.get()) {
            try {
                consumer.commitSync(Map.of(lease.partition(), new OffsetAndMetadata(lease.offset() + 1)));
            } catch (KafkaException e) {
                // the partition is already lost (e.g. the session expired): its next owner runs the job again
                LOG.warnf(
                        "could not commit offset %d of %s after its job ended: %s",
                        lease.offset() + 1, lease.partition(), e.getMessage());
            }
        }
    }
}
