package dev.tlab.results.messaging;

import dev.tlab.contracts.Topic;
import dev.tlab.messaging.KafkaConnection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness: DOWN until the rebuild has read every topic up to where it ended when the service started (see
 * {@link RebuildProgress}). The targets are taken on a thread of its own, retried until the broker answers.
 */
@Readiness
@ApplicationScoped
public class RebuildReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(RebuildReadiness.class);
    /** What the listeners read (see application.properties). */
    static final List<Topic> REBUILT_FROM = List.of(
            Topic.TRAINING_EVENTS, Topic.TRAINING_JOBS, Topic.DATASET_MANIFESTS, Topic.EXPERIMENT_CANCELLATIONS);

    private final RebuildProgress progress;
    /** The kafka.* keys: bootstrap servers and the service's login, which this reader uses as well. */
    private final Map<String, Object> kafkaConfig;

    public RebuildReadiness(
            RebuildProgress progress, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.progress = progress;
        this.kafkaConfig = kafkaConfig;
    }

    void takeTargets(@Observes StartupEvent event) {
        Thread thread = new Thread(
                () -> {
                    while (!progress.hasTargets()) {
                        try {
                            progress.targets(endOffsets());
                            LOG.infof("rebuilding from Kafka; ready once caught up with %s", progress.behind());
                        } catch (RuntimeException e) {
                            LOG.warnf("cannot read the topics' end offsets yet (%s); retrying", e.getMessage());
                            try {
                                Thread.sleep(2_000);
                            } catch (InterruptedException stop) {
                                return;
                            }
                        }
                    }
                },
                "rebuild-targets");
        thread.setDaemon(true);
        thread.start();
    }

    private Map<TopicPartition, RebuildProgress.Range> endOffsets() {
        Map<String, Object> config = KafkaConnection.settings(kafkaConfig);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Duration timeout = Duration.ofSeconds(10);
            List<TopicPartition> partitions = REBUILT_FROM.stream()
                    .flatMap(t -> consumer.partitionsFor(t.topicName(), timeout).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, RebuildProgress.Range> ranges = new HashMap<>();
            for (TopicPartition partition : partitions) {
                ranges.put(partition, new RebuildProgress.Range(beginning.get(partition), end.get(partition)));
            }
            return ranges;
        }
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = progress.caughtUp();
        var response = HealthCheckResponse.named("rebuild from Kafka").status(ready);
        if (!ready) {
            response.withData(
                    "behind", progress.hasTargets() ? progress.behind().toString() : "reading end offsets");
        }
        return response.build();
    }
}
