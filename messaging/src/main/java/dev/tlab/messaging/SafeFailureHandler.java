package dev.tlab.messaging;

import dev.tlab.contracts.Topic;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * What a consumer does with a message it could not process (a nack): copy it to the dead-letter topic (see
 * {@link DeadLetterCopy}) or, for a channel without one, only log and count it; then acknowledge it so that the
 * consumer goes on. It never fails the channel: a copy that cannot be written is logged with the original's
 * coordinates, counted as {@code lost} and skipped, so one bad message can never stop a consumer (the "poison pill").
 */
final class SafeFailureHandler implements KafkaFailureHandler {
    private static final Logger LOG = Logger.getLogger(SafeFailureHandler.class);
    private static final int LOGGED_KEY_CHARS = 100;

    private final String channel;
    private final String deadLetterTopic;
    private final int maxCopyBytes;
    private final DeadLetterSender sender;
    private final DeadLetterMetrics metrics;
    private final Map<String, ?> clientConfig;
    private final boolean deduplicate;
    private volatile CompletableFuture<DeadLetterLedger> ledger;

    /** @param deadLetterTopic null: log, count and skip only */
    SafeFailureHandler(
            String channel,
            String deadLetterTopic,
            Map<String, ?> clientConfig,
            boolean deduplicate,
            DeadLetterMetrics metrics) {
        this.channel = channel;
        this.deadLetterTopic = deadLetterTopic;
        this.clientConfig = clientConfig;
        this.deduplicate = deduplicate;
        this.metrics = metrics;
        this.maxCopyBytes = limitOf(deadLetterTopic);
        this.sender = deadLetterTopic == null
                ? null
                : new DeadLetterSender(clientConfig, maxCopyBytes, "dead-letter-" + channel);
    }

    /** A topic of ours has its limit in {@link Topic}; for any other, the limit our dead-letter topics have. */
    static int limitOf(String deadLetterTopic) {
        try {
            return deadLetterTopic == null ? 0 : Topic.byName(deadLetterTopic).maxMessageBytes();
        } catch (IllegalArgumentException notOurs) {
            return Topic.MAX_MESSAGE_BYTES + Topic.DEAD_LETTER_HEADROOM_BYTES;
        }
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
        CompletionStage<Void> handled;
        if (reason instanceof RefusedValueException refused) {
            metrics.refused(record.getTopic(), refused.kind());
        }
        try {
            handled = deadLetterTopic == null ? skip(record, reason) : copy(record, reason);
        } catch (RuntimeException unexpected) {
            LOG.errorf(unexpected, "[%s] could not handle the failed message %s; skipping it", channel, where(record));
            metrics.count(record.getTopic(), "lost");
            handled = record.ack();
        }
        return Uni.createFrom().completionStage(handled).emitOn(record::runOnMessageContext);
    }

    private CompletionStage<Void> skip(IncomingKafkaRecord<?, ?> record, Throwable reason) {
        LOG.warnf("[%s] skipping %s: %s", channel, where(record), DeadLetterCopy.reasonOf(reason));
        metrics.count(record.getTopic(), "skipped");
        return record.ack();
    }

    private CompletionStage<Void> copy(IncomingKafkaRecord<?, ?> record, Throwable reason) {
        DeadLetterCopy copy = DeadLetterCopy.of(
                deadLetterTopic,
                maxCopyBytes,
                new DeadLetterCopy.Original(
                        record.getTopic(),
                        record.getPartition(),
                        record.getOffset(),
                        bytes(record.getKey()),
                        bytes(record.getPayload()),
                        record.getHeaders()),
                reason);
        return alreadyCopied(record)
                .thenCompose(copiedBefore -> {
                    if (copiedBefore) {
                        LOG.infof(
                                "[%s] %s is already in %s: %s",
                                channel, where(record), deadLetterTopic, DeadLetterCopy.reasonOf(reason));
                        metrics.count(record.getTopic(), "already-copied");
                        return CompletableFuture.completedFuture(null);
                    }
                    return sender.send(copy.record()).handle((sent, error) -> {
                        if (error != null) {
                            LOG.errorf(
                                    "[%s] could not write the dead-letter copy of %s to %s (%s); the message is skipped. "
                                            + "Why it was refused: %s",
                                    channel, where(record), deadLetterTopic, error, DeadLetterCopy.reasonOf(reason));
                            metrics.count(record.getTopic(), "lost");
                        } else {
                            LOG.warnf(
                                    "[%s] %s went to %s%s: %s",
                                    channel,
                                    where(record),
                                    deadLetterTopic,
                                    copy.truncated() ? " (value truncated to fit, with its sha256)" : "",
                                    DeadLetterCopy.reasonOf(reason));
                            metrics.count(record.getTopic(), copy.truncated() ? "truncated" : "copied");
                            DeadLetterLedger copied = ledger == null ? null : ledger.getNow(null);
                            if (copied != null) {
                                copied.add(record.getTopic(), record.getPartition(), record.getOffset());
                            }
                        }
                        return null;
                    });
                })
                .thenCompose(ignored -> record.ack());
    }

    /** Only for deduplicating channels: whether the dead-letter topic holds this original already. */
    private CompletionStage<Boolean> alreadyCopied(IncomingKafkaRecord<?, ?> record) {
        if (!deduplicate) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<DeadLetterLedger> loaded = ledger;
        if (loaded == null) {
            synchronized (this) {
                if (ledger == null) {
                    ledger = CompletableFuture.supplyAsync(
                            () -> DeadLetterLedger.read(clientConfig, deadLetterTopic),
                            Infrastructure.getDefaultWorkerPool());
                }
                loaded = ledger;
            }
        }
        return loaded.handle((known, error) -> {
            if (error != null) {
                LOG.warnf(
                        "[%s] could not read %s to avoid duplicate copies (%s); copying anyway",
                        channel, deadLetterTopic, error.getMessage());
                return false;
            }
            return known.contains(record.getTopic(), record.getPartition(), record.getOffset());
        });
    }

    private static byte[] bytes(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value
                instanceof
                ByteBuffer buffer) { // keys read as ByteBuffer to be grouped by content (throttled.ordered=key)
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return copy;
        }
        // channels read as text lose bytes that are not UTF-8; ours read byte[] so that copies are exact
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String where(IncomingKafkaRecord<?, ?> record) {
        Object key = record.getKey();
        String text = key == null ? "null" : new String(bytes(key), StandardCharsets.UTF_8);
        if (text.length() > LOGGED_KEY_CHARS) {
            text = text.substring(0, LOGGED_KEY_CHARS) + "…";
        }
        return record.getTopic() + "/" + record.getPartition() + "@" + record.getOffset() + " (key " + text + ")";
    }

    @Override
    public void terminate() {
        if (sender != null) {
            sender.close();
        }
    }
}
