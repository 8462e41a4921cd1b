package dev.tlab.trainer.metrics;

import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.job.StopReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's Prometheus metrics (names as exported): {@code tl_trainer_epoch_seconds},
 * {@code tl_trainer_images_per_second}, {@code tl_trainer_epoch_loss}, {@code tl_trainer_train_accuracy} and
 * {@code tl_trainer_data_wait_seconds}, all tagged by strategy; {@code tl_trainer_jobs_active},
 * {@code tl_trainer_jobs_completed_total}, {@code tl_trainer_jobs_failed_total} (failed for good),
 * {@code tl_trainer_jobs_retried_total}, {@code tl_trainer_jobs_cancelled_total},
 * {@code tl_trainer_jobs_interrupted_total} (tagged {@code reason}: shutdown, revoked, device-fault),
 * {@code tl_trainer_revocation_timeouts_total}, {@code tl_trainer_pod_deletion_cost_patches_total} (tagged
 * {@code outcome}: applied, failed), {@code tl_trainer_cancelled_experiments}. Strategy names are few per deployment,
 * so the tag stays bounded.
 */
@ApplicationScoped
public class TrainerMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter completed;
    private final Counter failed;
    private final Map<StopReason, Counter> interrupted = new EnumMap<>(StopReason.class);
    private final Counter revocationTimeouts;
    private final Counter patchesApplied;
    private final Counter patchesFailed;
    private final Counter retried;
    private final Counter cancelled;
    private final Map<String, StrategyGauges> gauges = new ConcurrentHashMap<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("tl.trainer.jobs.active", active);
        completed = Counter.builder("tl.trainer.jobs.completed")
                .description("Jobs that ended with JobCompleted")
                .register(registry);
        failed = Counter.builder("tl.trainer.jobs.failed")
                .description("Jobs that ended with JobFailed")
                .register(registry);
        for (StopReason reason : StopReason.values()) {
            interrupted.put(
                    reason,
                    Counter.builder("tl.trainer.jobs.interrupted")
                            .description("Jobs stopped without a result, left for their next owner to resume")
                            .tag("reason", reason.tag())
                            .register(registry));
        }
        revocationTimeouts = Counter.builder("tl.trainer.revocation.timeouts")
                .description("Revoked jobs that did not stop within tlab.trainer.revocation-timeout (may run twice)")
                .register(registry);
        patchesApplied = patches(registry, "applied");
        patchesFailed = patches(registry, "failed");
        retried = Counter.builder("tl.trainer.jobs.retried")
                .description("Failed attempts whose next attempt was published (retry budget left)")
                .register(registry);
        cancelled = Counter.builder("tl.trainer.jobs.cancelled")
                .description("Jobs of cancelled experiments, skipped or stopped at a batch")
                .register(registry);
    }

    private static Counter patches(MeterRegistry registry, String outcome) {
        return Counter.builder("tl.trainer.pod.deletion.cost.patches")
                .description("Patches of this pod's controller.kubernetes.io/pod-deletion-cost annotation")
                .tag("outcome", outcome)
                .register(registry);
    }

    public void jobStarted() {
        active.incrementAndGet();
    }

    /** A started job stopped running, however it ended. */
    public void jobEnded() {
        active.decrementAndGet();
    }

    public void jobCompleted() {
        completed.increment();
    }

    public void jobFailed() {
        failed.increment();
    }

    public void jobRetried() {
        retried.increment();
    }

    public void jobCancelled() {
        cancelled.increment();
    }

    public void jobInterrupted(StopReason reason) {
        interrupted.get(reason).increment();
    }

    public void revocationTimedOut() {
        revocationTimeouts.increment();
    }

    public void podDeletionCostPatched(boolean applied) {
        (applied ? patchesApplied : patchesFailed).increment();
    }

    /** The size of the trainer's registry of cancelled experiments, read at scrape time. */
    public void cancelledExperiments(java.util.function.Supplier<Number> count) {
        Gauge.builder("tl.trainer.cancelled.experiments", count)
                .description("Experiments this trainer knows to be cancelled (read from experiment-cancellations)")
                .register(registry);
    }

    public void epoch(String strategy, EpochMetrics m) {
        Tags tags = Tags.of("strategy", strategy);
        Timer.builder("tl.trainer.epoch")
                .description("Wall time of a training epoch")
                .tags(tags)
                .register(registry)
                .record(Duration.ofNanos((long) (m.seconds() * 1e9)));
        DistributionSummary.builder("tl.trainer.data.wait")
                .baseUnit("seconds")
                .description("Time an epoch waited for batches")
                .tags(tags)
                .register(registry)
                .record(m.dataWaitSeconds());
        StrategyGauges g = gauges.computeIfAbsent(strategy, s -> new StrategyGauges(registry, tags));
        g.imagesPerSecond.set(m.imagesPerSecond());
        g.loss.set(m.loss());
        g.trainAccuracy.set(m.trainAccuracy());
    }

    private static final class StrategyGauges {
        final AtomicReference<Double> imagesPerSecond = new AtomicReference<>(0.0);
        final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
        final AtomicReference<Double> trainAccuracy = new AtomicReference<>(Double.NaN);

        StrategyGauges(MeterRegistry registry, Tags tags) {
            registry.gauge("tl.trainer.images.per.second", tags, imagesPerSecond, AtomicReference::get);
            registry.gauge("tl.trainer.epoch.loss", tags, loss, AtomicReference::get);
            registry.gauge("tl.trainer.train.accuracy", tags, trainAccuracy, AtomicReference::get);
        }
    }
}
