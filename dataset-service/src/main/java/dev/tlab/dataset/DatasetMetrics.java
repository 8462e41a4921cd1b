package dev.tlab.dataset;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.dataset.experiment.RequestFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics: {@code tlab_dataset_manifests_published_total},
 * {@code tlab_dataset_jobs_published_total}, {@code tlab_dataset_subset_build_seconds},
 * {@code tlab_dataset_bytes_served_total{part}}, {@code tlab_dataset_requests_rejected_total{source,reason,field}},
 * {@code tlab_dataset_plan_checks_total{outcome}}, {@code tlab_dataset_damaged_refused_total} and
 * {@code tlab_dataset_experiments_failed_total} (failed after they were accepted).
 */
@Startup
@ApplicationScoped
public class DatasetMetrics {
    private final MeterRegistry registry;

    /** Registers the meters up front so that dashboards see them (at zero) before the first event. */
    public DatasetMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String dataset : DatasetSpec.KNOWN) {
            Counter.builder("tlab.dataset.manifests.published")
                    .tag("dataset", dataset)
                    .description("Dataset manifests published to dataset-manifests")
                    .register(registry);
        }
        Timer.builder("tlab.dataset.subset.build")
                .description("Time to select a subset and digest its records")
                .register(registry);
        for (String part : new String[] {"train", "test"}) {
            Counter.builder("tlab.dataset.bytes.served")
                    .tag("part", part)
                    .baseUnit("bytes")
                    .description("Dataset bytes streamed to trainers")
                    .register(registry);
        }
        experimentsFailed();
    }

    public void manifestPublished(String dataset) {
        Counter.builder("tlab.dataset.manifests.published")
                .tag("dataset", dataset)
                .description("Dataset manifests published to dataset-manifests")
                .register(registry)
                .increment();
    }

    public void jobPublished(String strategy) {
        Counter.builder("tlab.dataset.jobs.published")
                .tag("strategy", strategy)
                .description("Training jobs published to training-jobs")
                .register(registry)
                .increment();
    }

    public <T> T timeSubsetBuild(Supplier<T> build) {
        return Timer.builder("tlab.dataset.subset.build")
                .description("Time to select a subset and digest its records")
                .register(registry)
                .record(build);
    }

    public void bytesServed(String part, long bytes) {
        Counter.builder("tlab.dataset.bytes.served")
                .tag("part", part)
                .baseUnit("bytes")
                .description("Dataset bytes streamed to trainers")
                .register(registry)
                .increment(bytes);
    }

    public void damagedDataRefused() {
        Counter.builder("tlab.dataset.damaged.refused")
                .description("Requests for data whose digest no longer matches its manifest, refused")
                .register(registry)
                .increment();
    }

    /** @param outcome passed, rejected, unauthorized (the planner refused this service's token) or skipped */
    public void planCheck(String outcome) {
        Counter.builder("tlab.dataset.plan.checks")
                .tag("outcome", outcome)
                .description("Experiments checked against a trainer's plan before publishing")
                .register(registry)
                .increment();
    }

    /**
     * Records a refused request or data fetch, by {@link RequestFailure}'s one mapping of the failure.
     *
     * @param source {@code rest} or {@code kafka} (experiment requests), {@code data} (manifest and data fetches)
     */
    public void rejected(String source, Throwable failure) {
        RequestFailure what = RequestFailure.of(failure);
        Counter.builder("tlab.dataset.requests.rejected")
                .tag("source", source)
                .tag("reason", what.kind())
                // array indices dropped to keep the tag's values few
                .tag("field", what.field() == null ? "none" : what.field().replaceAll("\\[\\d+]", "[]"))
                .description("Experiment requests and data fetches rejected")
                .register(registry)
                .increment();
    }

    /** An experiment failed after it was accepted; its ExperimentFailed is published. */
    public void experimentFailed() {
        experimentsFailed().increment();
    }

    private Counter experimentsFailed() {
        return Counter.builder("tlab.dataset.experiments.failed")
                .description("Experiments that failed after they were accepted (published as ExperimentFailed)")
                .register(registry);
    }
}
