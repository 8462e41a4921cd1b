package dev.tlab.results.domain;

import dev.tlab.contracts.api.Views;
import java.util.List;
import java.util.UUID;

/** Builds the REST view of one job from its {@link JobRun}: what the aggregate knows, as clients read it. */
final class RunViews {
    private RunViews() {}

    /** @param experimentCancelled whether its experiment was cancelled: a job that waits to start then never will */
    static Views.Run run(JobRun job, UUID experimentId, boolean experimentCancelled) {
        List<EpochPoint> points = job.epochs();
        List<Views.Epoch> epochs = points.stream().map(RunViews::epoch).toList();
        Integer lastEpoch =
                points.isEmpty() ? null : points.get(points.size() - 1).epoch();
        Integer planned = job.epochsPlanned();
        boolean done = job.state() == RunState.COMPLETED;
        Double progress = planned == null || planned == 0
                ? null
                : done ? 1.0 : Math.min(1.0, (lastEpoch == null ? 0 : lastEpoch) / (double) planned);
        RunState shown = job.state(experimentCancelled);
        JobRun.RunRecord current = job.currentRecord();
        List<Views.FailedAttempt> failedAttempts = job.failures().entrySet().stream()
                .map(f -> new Views.FailedAttempt(
                        f.getKey(), f.getValue().reason(), f.getValue().at()))
                .toList();
        return new Views.Run(
                job.jobId,
                job.seed,
                job.latestAttempt(),
                shown.label(),
                job.testAccuracy(),
                job.trainableParameters(),
                job.totalParameters(),
                job.wallSeconds(),
                job.device(),
                job.failureReason(),
                job.startEpoch(),
                planned,
                points.size(),
                progress,
                epochs,
                failedAttempts,
                shown == RunState.RETRYING ? job.nextAttempt() : null,
                shown == RunState.RETRYING ? job.retryAt() : null,
                shown == RunState.CANCELLED ? (job.cancelReason() != null ? job.cancelReason() : "cancelled") : null,
                current != null ? current.startedAt() : null,
                job.finishedAt(),
                current != null ? current.environment() : null,
                job.precision(),
                Views.ModelFile.of(experimentId, job.jobId, job.model()),
                job.selection());
    }

    static Views.Epoch epoch(EpochPoint point) {
        return new Views.Epoch(
                point.epoch(),
                point.attempt(),
                point.loss(),
                point.trainAccuracy(),
                point.seconds(),
                point.imagesPerSecond(),
                point.dataWaitSeconds(),
                point.valLoss(),
                point.valAccuracy());
    }
}
