package dev.tlab.kafka.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Wires a {@code @QuarkusTest} to a real local Kafka broker (KRaft, loopback, temporary folder, every topic of the
 * contracts created): {@code @WithTestResource(KafkaBrokerResource.class)}. The broker is shared by all test classes
 * of the JVM and outlives Quarkus restarts between them.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedBroker.bootstrapServers());
    }

    @Override
    public void stop() {
        // the shared broker stops with the JVM
    }
}
