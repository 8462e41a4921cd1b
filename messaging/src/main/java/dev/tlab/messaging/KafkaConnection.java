package dev.tlab.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Where and how a Kafka client of a service connects: the bootstrap servers and the login (security protocol, SASL,
 * TLS) taken from a client configuration the service already has, e.g. a consumer's, or Quarkus'
 * {@code default-kafka-broker} map of the {@code kafka.*} keys. The extra clients a service builds itself (dead-letter
 * producers, offset readers) must log in as the service does: the lab's brokers refuse anyone else.
 */
public final class KafkaConnection {
    private static final String[] INHERITED_PREFIXES = {"bootstrap.servers", "security.", "sasl.", "ssl.", "client.dns"
    };

    private KafkaConnection() {}

    /** The connection settings of {@code clientConfig}, nothing else (no group, serializers or client id). */
    public static Map<String, Object> settings(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            for (String prefix : INHERITED_PREFIXES) {
                if (key.startsWith(prefix) && value != null) {
                    config.put(key, value);
                }
            }
        });
        return config;
    }
}
