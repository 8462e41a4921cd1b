package dev.tlab.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code tl_dead_letters_total{topic, outcome}}: messages a consumer could not process, by the topic they came from and
 * what became of them: {@code copied} (whole, to the dead-letter topic), {@code truncated} (value cut to fit, with its
 * digest), {@code skipped} (the channel keeps no dead-letter topic), {@code already-copied} (a rebuild met a message
 * copied before) and {@code lost} (not even a dead-letter copy could be written; logged with its coordinates). Among
 * them, {@code tl_messages_refused_total{topic, reason}} counts the values refused before they were parsed
 * ({@link IncomingValues}): {@code null-value} and {@code oversize}. Topics, outcomes and reasons are few, so the tags
 * stay bounded.
 */
final class DeadLetterMetrics {
    static final String NAME = "tl.dead.letters";
    static final String[] OUTCOMES = {"copied", "truncated", "skipped", "already-copied", "lost"};
    static final String REFUSED = "tl.messages.refused";

    private final MeterRegistry registry;

    DeadLetterMetrics(MeterRegistry registry, String topic) {
        this.registry = registry;
        if (registry != null) {
            for (String outcome : OUTCOMES) {
                counter(topic, outcome); // at zero from the start, so dashboards and alerts see the series
            }
            for (RefusedValueException.Kind kind : RefusedValueException.Kind.values()) {
                refusedCounter(topic, kind);
            }
        }
    }

    void refused(String topic, RefusedValueException.Kind kind) {
        if (registry != null) {
            refusedCounter(topic, kind).increment();
        }
    }

    private Counter refusedCounter(String topic, RefusedValueException.Kind kind) {
        return Counter.builder(REFUSED)
                .tag("topic", topic)
                .tag("reason", kind.label())
                .description("Record values refused before they were parsed: null on a topic that is not compacted,"
                        + " or larger than the topic accepts once decompressed")
                .register(registry);
    }

    void count(String topic, String outcome) {
        if (registry != null) {
            counter(topic, outcome).increment();
        }
    }

    private Counter counter(String topic, String outcome) {
        return Counter.builder(NAME)
                .tag("topic", topic)
                .tag("outcome", outcome)
                .description("Messages that could not be processed, by what became of them")
                .register(registry);
    }
}
