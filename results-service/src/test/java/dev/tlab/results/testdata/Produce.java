package dev.tlab.results.testdata;

import dev.tlab.kafka.test.TestKafka;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends records in order with one producer (acks=all, one in flight so that order is kept). */
public final class Produce {
    private Produce() {}

    public static void sendAll(List<Scenario.Record> records) {
        Properties props = new Properties();
        props.putAll(TestKafka.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (Scenario.Record record : records) {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()))
                        .get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send", e.getCause());
        }
    }
}
