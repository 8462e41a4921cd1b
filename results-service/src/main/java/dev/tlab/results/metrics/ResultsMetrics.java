package dev.tlab.results.metrics;

import dev.tlab.results.domain.Outcome;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.domain.RunState;
import dev.tlab.results.domain.Views;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Prometheus metrics of the results (Micrometer names; Prometheus adds {@code _total} to counters):
 * <ul>
 * <li>{@code tl_strategy_test_accuracy{experiment,strategy}}: mean test accuracy over completed seeds, fraction;</li>
 * <li>{@code tl_strategy_epoch_loss{experiment,strategy}}, {@code tl_strategy_train_accuracy{experiment,strategy}}:
 * the latest epoch of the strategy (its lowest seed's job);</li>
 * <li>{@code tl_experiments{state}}: experiments per state;</li>
 * <li>{@code tl_events_consumed_total{type}}, {@code tl_events_duplicate_total}, {@code tl_events_stale_total},
 * {@code tl_events_malformed_total{topic}}.</li>
 * </ul>
 * Label cardinality stays bounded: only the newest {@code tlab.results.metrics.max-experiments} experiments carry
 * per-experiment gauges; older ones are removed from the registry.
 */
@ApplicationScoped
public class ResultsMetrics {
    static final String TEST_ACCURACY = "tl.strategy.test.accuracy";
    static final String EPOCH_LOSS = "tl.strategy.epoch.loss";
    static final String TRAIN_ACCURACY = "tl.strategy.train.accuracy";

    @Inject
    MeterRegistry registry;

    @Inject
    ResultsStore store;

    @ConfigProperty(name = "tlab.results.metrics.max-experiments", defaultValue = "20")
    int maxExperiments;

    private final Map<GaugeKey, Registered> gauges = new HashMap<>();
    private Counter duplicates;
    private Counter stale;

    private record GaugeKey(String name, UUID experiment, String strategy) {
    }

    private record Registered(Gauge gauge, AtomicReference<Double> value) {
    }

    @PostConstruct
    void init() {
        duplicates = Counter.builder("tl.events.duplicate").description("Events whose eventId was already applied")
                .register(registry);
        stale = Counter.builder("tl.events.stale")
                .description("Events superseded by newer information (lower attempt, redone epoch)").register(registry);
        for (RunState state : RunState.values()) {
            Gauge.builder("tl.experiments", store, s -> s.countByState().get(state))
                    .description("Experiments per state").tags("state", state.label()).register(registry);
        }
    }

    /** Counts one decoded message and refreshes the experiment's gauges when it changed something. */
    public void recorded(String type, Outcome outcome, UUID experimentId) {
        registry.counter("tl.events.consumed", "type", type).increment();
        switch (outcome) {
            case DUPLICATE -> duplicates.increment();
            case STALE -> stale.increment();
            case APPLIED -> refresh(experimentId);
        }
    }

    public void malformed(String topic) {
        registry.counter("tl.events.malformed", "topic", topic).increment();
    }

    /** Brings the per-experiment gauges in line with the store; {@code changed} may be null (eviction only). */
    public synchronized void refresh(UUID changed) {
        List<UUID> newest = store.newest(Math.max(0, maxExperiments));
        Set<UUID> kept = new HashSet<>(newest);
        for (Iterator<Map.Entry<GaugeKey, Registered>> it = gauges.entrySet().iterator(); it.hasNext();) {
            Map.Entry<GaugeKey, Registered> entry = it.next();
            if (!kept.contains(entry.getKey().experiment())) {
                registry.remove(entry.getValue().gauge());
                it.remove();
            }
        }
        for (UUID id : changed == null ? newest : List.of(changed)) {
            if (!kept.contains(id)) {
                continue;
            }
            store.find(id).ifPresent(this::update);
        }
    }

    private void update(Views.Experiment experiment) {
        for (Views.Strategy s : experiment.strategies()) {
            set(TEST_ACCURACY, experiment.experimentId(), s.strategy(), s.testAccuracy(),
                    "Mean test accuracy of the strategy over its completed seeds (fraction)");
            Views.Epoch last = s.epochs().isEmpty() ? null : s.epochs().get(s.epochs().size() - 1);
            set(EPOCH_LOSS, experiment.experimentId(), s.strategy(), last == null ? null : last.loss(),
                    "Training loss of the strategy's latest epoch");
            set(TRAIN_ACCURACY, experiment.experimentId(), s.strategy(), last == null ? null : last.trainAccuracy(),
                    "Train accuracy of the strategy's latest epoch (fraction)");
        }
    }

    private void set(String name, UUID experiment, String strategy, Double value, String description) {
        if (value == null) {
            return;
        }
        GaugeKey key = new GaugeKey(name, experiment, strategy);
        Registered registered = gauges.get(key);
        if (registered == null) {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge gauge = Gauge.builder(name, holder, AtomicReference::get).description(description)
                    .tags(Tags.of("experiment", experiment.toString(), "strategy", strategy)).strongReference(true)
                    .register(registry);
            gauges.put(key, new Registered(gauge, holder));
        } else {
            registered.value().set(value);
        }
    }

    /** How many per-experiment gauges are registered (for tests). */
    public synchronized int perExperimentGauges() {
        return gauges.size();
    }
}
