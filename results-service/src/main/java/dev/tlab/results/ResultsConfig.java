package dev.tlab.results;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The service's settings ({@code tlab.results.*}); application.properties documents every key. */
@ConfigMapping(prefix = "tlab.results")
public interface ResultsConfig {
    /**
     * The trainers' model store (their {@code tlab.trainer.model-store}, mounted read-only here), from which the
     * fine-tuned models are served; empty: the model list still shows digests, downloads answer 404 naming this key.
     */
    Optional<Path> modelStore();

    Metrics metrics();

    /** The Prometheus metrics' settings. */
    interface Metrics {
        /**
         * How many of the newest experiments carry per-experiment labels (tl_strategy_*), so cardinality stays bounded.
         */
        @WithDefault("20")
        int maxExperiments();
    }
}
