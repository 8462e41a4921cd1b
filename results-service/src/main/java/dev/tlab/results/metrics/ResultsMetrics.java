package dev.tlab.results.metrics;

import dev.tlab.contracts.api.Views;
import dev.tlab.results.ResultsConfig;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.domain.Outcome;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.domain.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Prometheus metrics of the results (Micrometer names; Prometheus adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code tl_strategy_test_accuracy{experiment,strategy}}: mean test accuracy over completed seeds, fraction;
 *   <li>{@code tl_strategy_epoch_loss{experiment,strategy}}, {@code tl_strategy_train_accuracy{experiment,strategy}}:
 *       the latest epoch of the strategy (its lowest seed's job);
 *   <li>the comparison, per strategy over its completed runs: {@code tl_strategy_macro_f1} (fraction),
 *       {@code tl_strategy_expected_calibration_error} (fraction, 15 bins), {@code tl_strategy_device_seconds} (mean
 *       device-seconds per run: training plus final evaluation), {@code tl_strategy_train_images_per_second},
 *       {@code tl_strategy_peak_memory_bytes} (the largest peak a run reported) and
 *       {@code tl_strategy_points_per_device_hour} (accuracy points each extra device-hour buys over the cheapest
 *       strategy; NaN for the cheapest), each {@code {experiment,strategy}}, NaN until known; and
 *       {@code tl_experiment_best_significant{experiment}}: 1 when the leader is significantly better than the
 *       runner-up, 0 when not (indistinguishable, split or untested), NaN before two strategies have results;
 *   <li>{@code tl_experiments{state}}: experiments per state;
 *   <li>{@code tl_unknown_experiments}: experiment ids named only by training events (see GET /unknown-experiments);
 *   <li>{@code tl_events_consumed_total{type}}, {@code tl_events_duplicate_total}, {@code tl_events_stale_total},
 *       {@code tl_events_malformed_total{topic}}.
 * </ul>
 *
 * Label cardinality stays bounded: only the newest {@code tlab.results.metrics.max-experiments} experiments carry
 * per-experiment gauges; older ones are removed from the registry.
 *
 * <p>Ingestion stays cheap: an event only registers the gauges of a strategy it sees for the first time; their values
 * are read from the store when Prometheus scrapes (NaN until the strategy has one).
 */
@ApplicationScoped
public class ResultsMetrics {
    static final String TEST_ACCURACY = "tl.strategy.test.accuracy";
    static final String EPOCH_LOSS = "tl.strategy.epoch.loss";
    static final String TRAIN_ACCURACY = "tl.strategy.train.accuracy";
    static final String MACRO_F1 = "tl.strategy.macro.f1";
    static final String CALIBRATION_ERROR = "tl.strategy.expected.calibration.error";
    static final String DEVICE_SECONDS = "tl.strategy.device.seconds";
    static final String TRAIN_IMAGES_PER_SECOND = "tl.strategy.train.images.per.second";
    static final String PEAK_MEMORY = "tl.strategy.peak.memory.bytes";
    static final String POINTS_PER_DEVICE_HOUR = "tl.strategy.points.per.device.hour";
    static final String BEST_SIGNIFICANT = "tl.experiment.best.significant";

    private final MeterRegistry registry;
    private final ResultsStore store;
    private final Comparisons comparisons;
    private final int maxExperiments;

    private final Map<UUID, List<Gauge>> gaugesByExperiment = new HashMap<>();
    private final Set<GaugeKey> registered = new HashSet<>();
    /** The strategies each experiment's events named, so that gauges can follow when it becomes one of the newest. */
    private final Map<UUID, Set<String>> strategiesSeen = new HashMap<>();

    private final Map<String, Counter> consumedByType = new ConcurrentHashMap<>();
    private Set<UUID> kept = Set.of();
    private int knownExperiments = -1;
    private final Counter duplicates;
    private final Counter stale;

    private record GaugeKey(UUID experiment, String strategy) {}

    public ResultsMetrics(MeterRegistry registry, ResultsStore store, Comparisons comparisons, ResultsConfig config) {
        this.registry = registry;
        this.store = store;
        this.comparisons = comparisons;
        this.maxExperiments = config.metrics().maxExperiments();
        duplicates = Counter.builder("tl.events.duplicate")
                .description("Events whose eventId was already applied")
                .register(registry);
        stale = Counter.builder("tl.events.stale")
                .description("Events superseded by newer information (lower attempt, redone epoch)")
                .register(registry);
        for (RunState state : RunState.values()) {
            Gauge.builder("tl.experiments", store, s -> s.countByState().get(state))
                    .description("Experiments per state")
                    .tags("state", state.label())
                    .register(registry);
        }
        Gauge.builder("tl.unknown.experiments", store, ResultsStore::unknownCount)
                .description("Experiment ids named only by training events, no job of the dataset service (kept apart)")
                .register(registry);
    }

    /**
     * Counts one decoded message; a change registers the strategy's gauges if they are new and its experiment is one of
     * the newest (as of the last {@link #followNewest}).
     *
     * @param strategy the strategy the message is about, or null (manifests)
     */
    public void recorded(String type, Outcome outcome, UUID experimentId, String strategy) {
        consumedByType
                .computeIfAbsent(type, t -> registry.counter("tl.events.consumed", "type", t))
                .increment();
        switch (outcome) {
            case DUPLICATE -> duplicates.increment();
            case STALE -> stale.increment();
            case APPLIED -> track(experimentId, strategy);
        }
    }

    public void malformed(String topic) {
        registry.counter("tl.events.malformed", "topic", topic).increment();
    }

    private synchronized void track(UUID experiment, String strategy) {
        if (experiment == null || strategy == null) {
            return;
        }
        strategiesSeen.computeIfAbsent(experiment, id -> new HashSet<>()).add(strategy);
        if (kept.contains(experiment)) {
            register(experiment, strategy);
        }
    }

    /**
     * Brings the per-experiment gauges up to date with which experiments are the newest, after a batch of messages:
     * only a newly announced experiment can change that, and finding them reads every experiment, so once per batch
     * rather than per message (a rebuild that announces thousands of experiments stays linear).
     */
    public synchronized void followNewest() {
        int experiments = store.size();
        if (experiments == knownExperiments) {
            return;
        }
        knownExperiments = experiments;
        kept = new HashSet<>(store.newest(Math.max(0, maxExperiments)));
        evictOlderExperiments();
        // an experiment announced after its events (a rebuild may read training-events first) gets them now
        for (UUID newest : kept) {
            strategiesSeen.getOrDefault(newest, Set.of()).forEach(seen -> register(newest, seen));
        }
    }

    private void register(UUID experiment, String strategy) {
        if (registered.add(new GaugeKey(experiment, strategy))) {
            List<Gauge> gauges = gaugesByExperiment.computeIfAbsent(experiment, id -> new ArrayList<>());
            if (gauges.isEmpty()) {
                gauges.add(Gauge.builder(BEST_SIGNIFICANT, () -> bestSignificant(experiment))
                        .description("1 when the experiment's leader is significantly better than the runner-up"
                                + " (two-sided p < 0.05), 0 when not; NaN before two strategies have results")
                        .tags(Tags.of("experiment", experiment.toString()))
                        .strongReference(true)
                        .register(registry));
            }
            gauges.add(comparisonGauge(
                    MACRO_F1,
                    experiment,
                    strategy,
                    (evaluation, cost) -> evaluation == null ? null : evaluation.macroF1(),
                    "Macro F1 of the strategy's completed runs pooled (fraction)"));
            gauges.add(comparisonGauge(
                    CALIBRATION_ERROR,
                    experiment,
                    strategy,
                    (evaluation, cost) -> evaluation == null || evaluation.calibration() == null
                            ? null
                            : evaluation.calibration().expectedCalibrationError(),
                    "Expected calibration error (15 bins) of the strategy's completed runs pooled (fraction)"));
            gauges.add(comparisonGauge(
                    DEVICE_SECONDS,
                    experiment,
                    strategy,
                    (evaluation, cost) -> cost == null ? null : cost.meanDeviceSeconds(),
                    "Mean device-seconds per run of the strategy: training plus final evaluation"));
            gauges.add(comparisonGauge(
                    TRAIN_IMAGES_PER_SECOND,
                    experiment,
                    strategy,
                    (evaluation, cost) -> cost == null ? null : cost.trainImagesPerSecond(),
                    "Training images per second of the strategy over its completed runs"));
            gauges.add(comparisonGauge(
                    PEAK_MEMORY,
                    experiment,
                    strategy,
                    (evaluation, cost) -> cost == null || cost.peakMemoryBytes() == null
                            ? null
                            : cost.peakMemoryBytes().doubleValue(),
                    "The largest peak memory a run of the strategy reported (device memory on a GPU, the"
                            + " trainer's resident set on a CPU), bytes"));
            gauges.add(comparisonGauge(
                    POINTS_PER_DEVICE_HOUR,
                    experiment,
                    strategy,
                    (evaluation, cost) -> cost == null ? null : cost.pointsPerDeviceHour(),
                    "Accuracy points each extra device-hour per run buys over the cheapest strategy"));
            gauges.add(gauge(
                    TEST_ACCURACY,
                    experiment,
                    strategy,
                    Views.Strategy::testAccuracy,
                    "Mean test accuracy of the strategy over its completed seeds (fraction)"));
            gauges.add(gauge(
                    EPOCH_LOSS,
                    experiment,
                    strategy,
                    s -> lastEpoch(s, Views.Epoch::loss),
                    "Training loss of the strategy's latest epoch"));
            gauges.add(gauge(
                    TRAIN_ACCURACY,
                    experiment,
                    strategy,
                    s -> lastEpoch(s, Views.Epoch::trainAccuracy),
                    "Train accuracy of the strategy's latest epoch (fraction)"));
        }
    }

    private void evictOlderExperiments() {
        gaugesByExperiment.entrySet().removeIf(entry -> {
            if (kept.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            registered.removeIf(key -> key.experiment().equals(entry.getKey()));
            return true;
        });
    }

    private Gauge gauge(
            String name, UUID experiment, String strategy, Function<Views.Strategy, Double> value, String description) {
        return Gauge.builder(name, () -> valueOf(experiment, strategy, value))
                .description(description)
                .tags(Tags.of("experiment", experiment.toString(), "strategy", strategy))
                .strongReference(true)
                .register(registry);
    }

    /** A strategy's figure from the experiment's comparison, read at scrape time (the comparison is cached). */
    private Gauge comparisonGauge(
            String name,
            UUID experiment,
            String strategy,
            BiFunction<Views.StrategyEvaluation, Views.StrategyCost, Double> value,
            String description) {
        return Gauge.builder(name, () -> comparisonValue(experiment, strategy, value))
                .description(description)
                .tags(Tags.of("experiment", experiment.toString(), "strategy", strategy))
                .strongReference(true)
                .register(registry);
    }

    private Double comparisonValue(
            UUID experiment, String strategy, BiFunction<Views.StrategyEvaluation, Views.StrategyCost, Double> value) {
        return comparisons
                .find(experiment)
                .map(c -> {
                    Views.StrategyEvaluation evaluation = c.comparison().strategies().stream()
                            .filter(s -> s.strategy().equals(strategy))
                            .findFirst()
                            .orElse(null);
                    Views.StrategyCost cost = c.comparison().cost() == null
                            ? null
                            : c.comparison().cost().strategies().stream()
                                    .filter(s -> s.strategy().equals(strategy))
                                    .findFirst()
                                    .orElse(null);
                    return value.apply(evaluation, cost);
                })
                .orElse(null);
    }

    private Double bestSignificant(UUID experiment) {
        return comparisons
                .find(experiment)
                .map(c -> c.comparison().verdict())
                .map(v -> switch (v.outcome()) {
                    case "best" -> 1.0;
                    case "indistinguishable", "split", "untested" -> 0.0;
                    default -> Double.NaN;
                })
                .orElse(Double.NaN);
    }

    /** Read at scrape time; the store caches an experiment's view until it changes. */
    private Double valueOf(UUID experiment, String strategy, Function<Views.Strategy, Double> value) {
        return store.find(experiment)
                .flatMap(e -> e.strategies().stream()
                        .filter(s -> s.strategy().equals(strategy))
                        .findFirst())
                .map(value)
                .orElse(Double.NaN);
    }

    private static Double lastEpoch(Views.Strategy strategy, Function<Views.Epoch, Double> value) {
        List<Views.Epoch> epochs = strategy.epochs();
        return epochs.isEmpty() ? Double.NaN : value.apply(epochs.get(epochs.size() - 1));
    }

    /** How many per-experiment gauges are registered (for tests). */
    public synchronized int perExperimentGauges() {
        return gaugesByExperiment.values().stream().mapToInt(List::size).sum();
    }
}
