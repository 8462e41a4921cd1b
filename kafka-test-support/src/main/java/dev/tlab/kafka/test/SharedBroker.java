package dev.tlab.kafka.test;

import dev.tlab.kafka.local.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One broker per test JVM, started on first use and stopped (its folder deleted) when the JVM exits. It requires
 * authentication and enforces the lab's ACLs, as the lab's brokers do, so each service's tests prove that its Kafka
 * identity is enough for what it does.
 */
final class SharedBroker {
    private static BrokerProcess broker;

    private SharedBroker() {}

    static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Client settings (bootstrap, SASL/SCRAM, JAAS line) for {@code user}. */
    static Map<String, Object> clientConfig(String user) {
        return broker().clientConfig(user);
    }

    private static synchronized BrokerProcess broker() {
        if (broker == null || !broker.isAlive()) {
            Path folder = createTempFolder();
            broker = BrokerProcess.start(
                    BrokerProcess.Options.authenticated(
                            folder.resolve("kafka"), folder.resolve("kafka-users.properties")),
                    Duration.ofSeconds(120));
            System.out.printf(
                    "[kafka-test-support] local Kafka broker ready at %s in %d ms%n",
                    broker.bootstrapServers(), broker.startTime().toMillis());
            BrokerProcess started = broker;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                started.close();
                                deleteQuietly(folder);
                            },
                            "kafka-test-support-shutdown"));
        }
        return broker;
    }

    private static Path createTempFolder() {
        try {
            return Files.createTempDirectory("tlab-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
