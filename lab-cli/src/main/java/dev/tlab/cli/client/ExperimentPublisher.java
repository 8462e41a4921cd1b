package dev.tlab.cli.client;

import dev.tlab.contracts.EventSerializer;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes an {@link ExperimentRequested} to the {@code experiments} topic, keyed by experiment id. */
public final class ExperimentPublisher {
    private ExperimentPublisher() {}

    /**
     * @param client Kafka client settings: {@code bootstrap.servers} and, for an authenticated broker, the login of a
     *     user that may write {@code experiments} (the {@code trigger} user)
     */
    public static void publish(Map<String, Object> client, ExperimentRequested request) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(
                            Topic.EXPERIMENTS.topicName(),
                            request.experimentId().toString(),
                            request))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new UnreachableException(
                    "cannot publish to Kafka at " + client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        }
    }
}
