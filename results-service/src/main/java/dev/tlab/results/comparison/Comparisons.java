package dev.tlab.results.comparison;

import dev.tlab.results.ResultsConfig;
import dev.tlab.results.domain.ResultsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The comparisons of the experiments, computed from the store when asked ({@link ComparisonBuilder}) and kept until the
 * experiment changes: the REST API, the page, the report and the metrics all read them here. The predictions files come
 * from {@code tlab.results.model-store} only ({@link PredictionsFiles}). Files are read outside the store's lock.
 */
@ApplicationScoped
public class Comparisons {
    /** Comparisons kept at most (the newest asked for): the metrics' experiments and the pages open. */
    static final int CACHED = 64;

    private final ResultsStore store;
    private final PredictionsFiles files;
    private final Map<UUID, ExperimentComparison> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, ExperimentComparison> eldest) {
            return size() > CACHED;
        }
    };

    @Inject
    public Comparisons(ResultsStore store, ResultsConfig config) {
        this(store, new PredictionsFiles(config.modelStore()));
    }

    Comparisons(ResultsStore store, PredictionsFiles files) {
        this.store = store;
        this.files = files;
    }

    /** The experiment's comparison, or empty when the store does not list it. */
    public Optional<ExperimentComparison> find(UUID experimentId) {
        Optional<ResultsStore.Snapshot> snapshot = store.snapshot(experimentId);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        long version = snapshot.get().experiment().version();
        synchronized (cache) {
            ExperimentComparison cached = cache.get(experimentId);
            if (cached != null && cached.experiment().version() == version) {
                return Optional.of(cached);
            }
        }
        ExperimentComparison built = ComparisonBuilder.build(snapshot.get(), files);
        synchronized (cache) {
            ExperimentComparison cached = cache.get(experimentId);
            if (cached == null || cached.experiment().version() <= version) {
                cache.put(experimentId, built);
            }
        }
        return Optional.of(built);
    }
}
