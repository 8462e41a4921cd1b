package dev.tlab.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead-letter copies as raw bytes with a producer whose {@code max.request.size} is the dead-letter topic's
 * limit. Sending never throws: a copy that cannot be written completes its stage exceptionally, and the caller decides
 * (it logs, counts and skips the original).
 */
public final class DeadLetterSender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public DeadLetterSender(Map<String, ?> clientConfig, int maxRequestBytes, String clientId) {
        // the dead-letter clients connect as the consumer they serve does
        Map<String, Object> config = KafkaConnection.settings(clientConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // a broker that is down must not hold the consumer for Kafka's default two minutes per message
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public CompletionStage<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
