package dev.tlab.kafka.test;

import dev.tlab.contracts.KafkaAccess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires a {@code @QuarkusTest} to a real local Kafka broker (KRaft, loopback, temporary folder, every topic of the
 * contracts created, SASL/SCRAM with the lab's ACLs): {@code @WithTestResource(KafkaBrokerResource.class)}. The service
 * logs in as the identity of {@link KafkaAccess} named by the system property {@value #IDENTITY_PROPERTY} (each service
 * module sets its own in its pom), through the same {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and
 * {@code kafka.sasl.jaas.config} keys as in production. The broker is shared by all test classes of the JVM and
 * outlives Quarkus restarts between them.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    public static final String IDENTITY_PROPERTY = "tlab.test.kafka-identity";

    @Override
    public Map<String, String> start() {
        String user = System.getProperty(IDENTITY_PROPERTY);
        if (user == null || user.isBlank()) {
            throw new IllegalStateException("set the system property " + IDENTITY_PROPERTY + " to the service's Kafka "
                    + "identity (one of "
                    + java.util.Arrays.stream(KafkaAccess.Identity.values())
                            .map(KafkaAccess.Identity::userName)
                            .toList()
                    + "), e.g. in the module's surefire "
                    + "systemPropertyVariables");
        }
        KafkaAccess.Identity identity = KafkaAccess.Identity.byUserName(user.strip());
        Map<String, String> config = new HashMap<>();
        SharedBroker.clientConfig(identity.userName())
                .forEach((key, value) -> config.put("kafka." + key, value.toString()));
        return config;
    }

    @Override
    public void stop() {
        // the shared broker stops with the JVM
    }
}
