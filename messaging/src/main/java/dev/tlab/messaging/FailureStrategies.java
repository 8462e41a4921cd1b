package dev.tlab.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.function.BiConsumer;

/**
 * The two failure strategies of this product's consumers ({@code mp.messaging.incoming.<channel>.failure-strategy}):
 *
 * <ul>
 *   <li>{@code tlab-dead-letter}: copy the message to {@code dead-letter-queue.topic} (required), see
 *       {@link SafeFailureHandler}; with {@code dead-letter-queue.deduplicate=true} a message already in that topic
 *       (same topic, partition, offset) is not copied again, for consumers that re-read their topic from the start;
 *   <li>{@code tlab-skip}: log, count and skip, for a topic whose dead letters another service owns.
 * </ul>
 *
 * Unlike SmallRye's own {@code dead-letter-queue}, neither ever fails the channel.
 */
public final class FailureStrategies {
    public static final String DEAD_LETTER = "tlab-dead-letter";
    public static final String SKIP = "tlab-skip";
    static final String DEDUPLICATE_ATTRIBUTE = "dead-letter-queue.deduplicate";

    private FailureStrategies() {}

    @ApplicationScoped
    @Identifier(DEAD_LETTER)
    public static class DeadLetter implements KafkaFailureHandler.Factory {
        private final Instance<MeterRegistry> registry;

        public DeadLetter(Instance<MeterRegistry> registry) {
            this.registry = registry;
        }

        @Override
        public KafkaFailureHandler create(
                KafkaConnectorIncomingConfiguration config,
                Vertx vertx,
                KafkaConsumer<?, ?> consumer,
                BiConsumer<Throwable, Boolean> reportFailure) {
            String topic = config.getDeadLetterQueueTopic()
                    .orElseThrow(() -> new IllegalArgumentException("channel " + config.getChannel()
                            + ": failure-strategy " + DEAD_LETTER + " needs dead-letter-queue.topic"));
            boolean deduplicate = config.config()
                    .getOptionalValue(DEDUPLICATE_ATTRIBUTE, Boolean.class)
                    .orElse(false);
            return new SafeFailureHandler(
                    config.getChannel(), topic, consumer.configuration(), deduplicate, metrics(registry, config));
        }
    }

    @ApplicationScoped
    @Identifier(SKIP)
    public static class Skip implements KafkaFailureHandler.Factory {
        private final Instance<MeterRegistry> registry;

        public Skip(Instance<MeterRegistry> registry) {
            this.registry = registry;
        }

        @Override
        public KafkaFailureHandler create(
                KafkaConnectorIncomingConfiguration config,
                Vertx vertx,
                KafkaConsumer<?, ?> consumer,
                BiConsumer<Throwable, Boolean> reportFailure) {
            return new SafeFailureHandler(
                    config.getChannel(), null, consumer.configuration(), false, metrics(registry, config));
        }
    }

    private static DeadLetterMetrics metrics(
            Instance<MeterRegistry> registry, KafkaConnectorIncomingConfiguration config) {
        return new DeadLetterMetrics(
                registry.isResolvable() ? registry.get() : null,
                config.getTopic().orElse(config.getChannel()));
    }
}
