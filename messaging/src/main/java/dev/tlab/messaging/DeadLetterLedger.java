package dev.tlab.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Which originals (topic, partition, offset) a dead-letter topic already holds. A consumer that reads its topic from
 * the beginning at every start (the results service rebuilds that way) would otherwise copy the same bad message again
 * after each restart. Read once, on the first failure, from the dead-letter copies' own headers.
 */
final class DeadLetterLedger {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Set<String> copied = ConcurrentHashMap.newKeySet();

    static String coordinates(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    boolean contains(String topic, int partition, long offset) {
        return copied.contains(coordinates(topic, partition, offset));
    }

    void add(String topic, int partition, long offset) {
        copied.add(coordinates(topic, partition, offset));
    }

    /** Reads every copy in the dead-letter topic up to its current end. */
    static DeadLetterLedger read(Map<String, ?> clientConfig, String deadLetterTopic) {
        DeadLetterLedger ledger = new DeadLetterLedger();
        Map<String, Object> config = KafkaConnection.settings(clientConfig);
        // no consumer group: partitions are assigned and nothing is committed, so no group ACL is needed
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + deadLetterTopic + " to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String topic = header(record, DeadLetterCopy.TOPIC);
                    String partition = header(record, DeadLetterCopy.PARTITION);
                    String offset = header(record, DeadLetterCopy.OFFSET);
                    if (topic != null && partition != null && offset != null) {
                        try {
                            ledger.add(topic, Integer.parseInt(partition), Long.parseLong(offset));
                        } catch (NumberFormatException e) {
                            // a copy written by someone else: it cannot be a duplicate of ours
                        }
                    }
                }
            }
        }
        return ledger;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
