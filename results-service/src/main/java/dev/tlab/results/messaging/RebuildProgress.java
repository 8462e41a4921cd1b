package dev.tlab.results.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the rebuild has come: the end offsets of the topics when the service started (the targets) against the next
 * offset each partition's consumer has processed. The service is ready once every partition reached its target, so that
 * nobody reads a half-built leaderboard (experiments without dataset, in the wrong order) after a restart. Once caught
 * up it stays so.
 */
public final class RebuildProgress {
    /** Where a partition starts and ends when the targets were taken. */
    public record Range(long beginning, long end) {}

    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Range> targets;
    private volatile boolean caughtUp;

    public void processed(String topic, int partition, long offset) {
        next.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
    }

    public void targets(Map<TopicPartition, Range> endsAtStart) {
        targets = Map.copyOf(endsAtStart);
    }

    public boolean hasTargets() {
        return targets != null;
    }

    public boolean caughtUp() {
        if (caughtUp) {
            return true;
        }
        if (targets == null || !behind().isEmpty()) {
            return false;
        }
        caughtUp = true;
        return true;
    }

    /** Records still to process per partition ("topic-partition" -> count); empty once caught up. */
    public Map<String, Long> behind() {
        Map<TopicPartition, Range> known = targets;
        if (known == null) {
            return Map.of();
        }
        Map<String, Long> behind = new java.util.TreeMap<>();
        known.forEach((partition, range) -> {
            long from = Math.max(range.beginning(), next.getOrDefault(partition, range.beginning()));
            if (from < range.end()) {
                behind.put(partition.toString(), range.end() - from);
            }
        });
        return behind;
    }
}
