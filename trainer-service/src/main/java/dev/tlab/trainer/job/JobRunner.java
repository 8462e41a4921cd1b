package dev.tlab.trainer.job;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.JobCancelled;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.Folders;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.trainer.data.DatasetClient;
import dev.tlab.trainer.data.TrainingData;
import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.engine.TestEvaluation;
import dev.tlab.trainer.engine.TrainingCancelledException;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.TrainingListener;
import dev.tlab.trainer.engine.TrainingResult;
import dev.tlab.trainer.engine.checkpoint.Checkpoint;
import dev.tlab.trainer.engine.data.LabelledImages;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import dev.tlab.trainer.metrics.TrainerMetrics;
import dev.tlab.trainer.store.ModelStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs one job from its message to its last event: wait out a retry's backoff, fetch and verify the data, train
 * (resuming from a checkpoint when there is one), and publish JobStarted, one EpochCompleted per epoch, then
 * JobCompleted, JobFailed or JobCancelled. A failure that may succeed on another attempt, within the retry budget,
 * publishes the job's next attempt to {@code training-jobs} (this trainer republishes it: it is the one that saw the
 * failure) before it reports JobFailed with {@code nextAttempt}. A job stopped from outside ({@link JobControl}: a
 * shutdown, its partition revoked) or by a device fault is none of these: it ends without a result and without spending
 * its retry budget, its checkpoint kept, so that its next owner resumes it.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    /** How often a backoff wait looks at shutdown and cancellation. */
    private static final long WAIT_STEP_MILLIS = 200;
    /** A resume whose checkpoint cannot be loaded sets it aside and tries again, this many times in all. */
    private static final int RESUME_TRIES = 3;

    private final TrainingEngine engine;
    private final DatasetClient datasets;
    private final AttemptCounter attempts;
    private final TrainerMetrics metrics;
    private final RetryPolicy retries;
    private final CancelledExperiments cancellations;
    private final CheckpointRetention checkpoints;
    private final Clock clock;
    /** Where completed jobs' models are kept; null keeps none (tests of the messaging alone). */
    private final ModelStore models;

    /** What runs a job, its memory format decided per job. */
    private final Function<TrainingJob, RunEnvironment> environment;

    private final DeviceCheck devices;
    private final TrainerActivity activity;

    /** Without a model store, a run environment, a device check or activity hooks: tests of the messaging alone. */
    public JobRunner(
            TrainingEngine engine,
            DatasetClient datasets,
            AttemptCounter attempts,
            TrainerMetrics metrics,
            RetryPolicy retries,
            CancelledExperiments cancellations,
            CheckpointRetention checkpoints,
            Clock clock) {
        this(
                engine,
                datasets,
                attempts,
                metrics,
                retries,
                cancellations,
                checkpoints,
                clock,
                null,
                job -> null,
                DeviceCheck.NONE,
                TrainerActivity.NONE);
    }

    public JobRunner(
            TrainingEngine engine,
            DatasetClient datasets,
            AttemptCounter attempts,
            TrainerMetrics metrics,
            RetryPolicy retries,
            CancelledExperiments cancellations,
            CheckpointRetention checkpoints,
            Clock clock,
            ModelStore models,
            Function<TrainingJob, RunEnvironment> environment,
            DeviceCheck devices,
            TrainerActivity activity) {
        this.models = models;
        this.environment = environment;
        this.engine = engine;
        this.datasets = datasets;
        this.attempts = attempts;
        this.metrics = metrics;
        this.retries = retries;
        this.cancellations = cancellations;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.devices = devices;
        this.activity = activity;
    }

    /** Where a job's events and its next attempt go; each call returns once the broker has the message. */
    public interface Publisher {
        void event(TrainingEvent event);

        void nextAttempt(TrainingJob job);
    }

    /** @param control says when the job must stop before its end (shutdown, its partition revoked) */
    public JobOutcome run(TrainingJob job, Publisher publish, JobControl control) {
        if (cancelled(job)) {
            // a queued job of a cancelled experiment: skipped without loading anything
            return cancel(job, JobRef.of(job), null, 0, publish);
        }
        JobOutcome waited = awaitBackoff(job, control, publish);
        if (waited != null) {
            return waited;
        }
        JobRef ref = new JobRef(
                job.jobId(),
                job.experimentId(),
                job.strategy().name(),
                job.seed(),
                attempts.next(job.jobId().toString(), job.attempt()));
        checkpoints.running(job.jobId().toString());
        metrics.jobStarted();
        activity.training(true);
        try {
            return train(job, ref, publish, control);
        } finally {
            metrics.jobEnded();
            activity.training(false);
        }
    }

    private JobOutcome train(TrainingJob job, JobRef ref, Publisher publish, JobControl control) {
        String jobId = job.jobId().toString();
        Instant startedAt = clock.instant();
        String device = null;
        try {
            device = engine.device().toString();
            RunEnvironment ranBy = environment.apply(job);
            DatasetManifest manifest = datasets.manifest(job.manifestUrl());
            TrainingData data =
                    datasets.trainingData(manifest, job.hyperParameters().selection() != null);
            LabelledImages train = data.train();
            LabelledImages test = data.test();
            LOG.infof(
                    "job %s (%s, seed %d, attempt %d): %d training and %d test images of %s%s on %s",
                    job.jobId(),
                    ref.strategy(),
                    ref.seed(),
                    ref.attempt(),
                    train.size(),
                    test.size(),
                    manifest.dataset(),
                    manifest.synthetic() ? " (SYNTHETIC)" : "",
                    device);
            String onDevice = device;
            BooleanSupplier stop = () -> control.stopRequested().isPresent() || cancelled(job);
            TrainingListener events = new TrainingListener() {
                @Override
                public void onStart(JobStart start) {
                    if (control.stopRequested().isPresent()) {
                        // stopped while loading: its next owner says that it started
                        throw new TrainingCancelledException(jobId, start.resumedAfterEpoch());
                    }
                    publish.event(JobStarted.of(
                            ref,
                            onDevice,
                            start.resumedAfterEpoch() + 1,
                            start.totalEpochs(),
                            start.trainableParameters(),
                            start.totalParameters(),
                            manifest.dataset(),
                            manifest.synthetic(),
                            ranBy,
                            job.hyperParameters().precision()));
                }

                @Override
                public void onEpoch(EpochMetrics m) {
                    if (control.fenced()) {
                        // another trainer may resume after this epoch's checkpoint and report the epoch itself
                        throw new TrainingCancelledException(jobId, m.epoch());
                    }
                    // also while a revocation waits for this job: its checkpoint is saved, so its next owner
                    // resumes after it and only this report says that it was trained
                    metrics.epoch(ref.strategy(), m);
                    publish.event(EpochCompleted.of(
                            ref,
                            onDevice,
                            m.epoch(),
                            m.totalEpochs(),
                            m.loss(),
                            m.trainAccuracy(),
                            m.seconds(),
                            m.imagesPerSecond(),
                            m.dataWaitSeconds(),
                            m.valLoss(),
                            m.valAccuracy()));
                }
            };
            TrainingResult result = trainResuming(job, data, events, stop);
            if (control.fenced()) {
                return interrupted(job, ref, StopReason.REVOKED, "after its last epoch");
            }
            SelectedEpoch selection = result.selection();
            ModelArtifact kept = keepModel(job, selection);
            Evaluation evaluation = evaluation(job, manifest, result);
            publish.event(JobCompleted.of(
                    ref,
                    result.device(),
                    result.testAccuracy(),
                    result.trainableParameters(),
                    result.totalParameters(),
                    result.wallSeconds(),
                    selection == null ? job.hyperParameters().epochs() : selection.epochsTrained(),
                    startedAt,
                    ranBy,
                    kept,
                    evaluation,
                    EvaluationReport.cost(result),
                    selection));
            LOG.infof(
                    "job %s (%s) completed: test accuracy %.4f%s",
                    job.jobId(),
                    ref.strategy(),
                    result.testAccuracy(),
                    selection == null ? "" : ", tested on " + selection.reason());
            metrics.jobCompleted();
            checkpoints.finished(jobId);
            return JobOutcome.COMPLETED;
        } catch (TrainingCancelledException e) {
            if (cancelled(job) && !control.fenced()) {
                return cancel(job, ref, device, e.completedEpochs(), publish);
            }
            return interrupted(
                    job,
                    ref,
                    control.stopRequested().orElse(StopReason.SHUTDOWN),
                    "after " + e.completedEpochs() + " epoch(s)");
        } catch (RuntimeException e) {
            Optional<String> unusable = devices.unusableAfter(e);
            if (unusable.isPresent()) {
                LOG.errorf(
                        e, "job %s (%s): the training device is unusable: %s", jobId, ref.strategy(), unusable.get());
                return interrupted(job, ref, StopReason.DEVICE_FAULT, "by a device fault");
            }
            Optional<StopReason> stopping = control.stopRequested();
            if (stopping.isPresent()) {
                // e.g. a fetch cut short by the shutdown: not the job's failure, and not this trainer's to report
                LOG.warnf("job %s (%s) failed while it was stopping: %s", jobId, ref.strategy(), e.getMessage());
                return interrupted(job, ref, stopping.get(), "while failing");
            }
            return failed(job, ref, device, e, publish);
        }
    }

    /**
     * Trains the job, resuming from its newest checkpoint. A checkpoint that cannot be loaded (it vanished while it was
     * being loaded, or is damaged) cannot resume anything: it is set aside and the job resumes from the next newest, or
     * starts over, instead of failing a job that has nothing wrong with it.
     */
    private TrainingResult trainResuming(
            TrainingJob job, TrainingData data, TrainingListener events, BooleanSupplier stop) {
        String jobId = job.jobId().toString();
        boolean[] started = {false};
        TrainingListener watched = new TrainingListener() {
            @Override
            public void onStart(JobStart start) {
                started[0] = true;
                events.onStart(start);
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                events.onEpoch(m);
            }
        };
        for (int tries = 1; ; tries++) {
            Optional<Checkpoint> resumable = engine.checkpoints().latest(jobId);
            try {
                return engine.train(job, data.train(), data.val(), data.test(), watched, stop);
            } catch (ModelUnavailableException e) {
                // on a resume the engine loads the checkpoint's model, never the job's: this is the checkpoint
                if (started[0] || resumable.isEmpty() || tries == RESUME_TRIES) {
                    throw e;
                }
                LOG.warnf(
                        "job %s: its checkpoint %s cannot be loaded (%s); it is set aside, and the job resumes from"
                                + " an older one or starts over",
                        jobId, resumable.get().folder(), e.getMessage());
                Folders.deleteTree(resumable.get().folder());
            }
        }
    }

    /**
     * The fine-tuned model, copied into the store before the job is reported: the final checkpoint's, or the selected
     * epoch's for a job that selects its epoch (the model its test accuracy is of).
     */
    private ModelArtifact keepModel(TrainingJob job, SelectedEpoch selection) {
        if (models == null) {
            return null;
        }
        String jobId = job.jobId().toString();
        Optional<Checkpoint> tested = selection == null
                ? engine.checkpoints().latest(jobId)
                : engine.checkpoints().epoch(jobId, selection.epoch());
        Path model = tested.orElseThrow(() -> new IllegalStateException(
                        "job " + job.jobId() + " finished without the checkpoint of" + " the epoch it was tested on"))
                .modelFile();
        return models.keep(job.experimentId(), job.jobId(), model);
    }

    /**
     * The final evaluation for JobCompleted, its predictions file kept next to the model (when models are kept); none
     * for a class map above {@link Evaluation#MAX_CLASSES} classes, which no message could carry.
     */
    private Evaluation evaluation(TrainingJob job, DatasetManifest manifest, TrainingResult result) {
        TestEvaluation tested = result.evaluation();
        if (!EvaluationReport.reportable(tested, manifest.classNames())) {
            LOG.warnf(
                    "job %s: its evaluation has %d classes, more than the %d a JobCompleted reports; only its test"
                            + " accuracy is reported",
                    job.jobId(),
                    Math.max(tested.classCount(), manifest.classNames().size()),
                    Evaluation.MAX_CLASSES);
            return null;
        }
        return EvaluationReport.evaluation(
                tested,
                manifest.classNames(),
                manifest.testDigest(),
                predictions ->
                        models == null ? null : models.keepPredictions(job.experimentId(), job.jobId(), predictions));
    }

    /** The job ends here without a result and is not acknowledged: its next owner resumes it from its checkpoint. */
    private JobOutcome interrupted(TrainingJob job, JobRef ref, StopReason reason, String when) {
        LOG.warnf(
                "job %s (%s, attempt %d) stopped %s (%s); it resumes from its last checkpoint on its next owner",
                job.jobId(), ref.strategy(), ref.attempt(), when, reason.tag());
        metrics.jobInterrupted(reason);
        return JobOutcome.INTERRUPTED;
    }

    private JobOutcome failed(TrainingJob job, JobRef ref, String device, RuntimeException error, Publisher publish) {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        Instant now = clock.instant();
        FailedAttempt failure = new FailedAttempt(ref.attempt(), reason, now);
        List<FailedAttempt> all = new ArrayList<>(job.failedAttempts());
        all.add(failure);
        boolean retryable = RetryPolicy.retryable(error);
        if (retryable && retries.budgetLeft(all.size()) && !cancelled(job)) {
            Duration backoff = retries.backoffAfter(all.size());
            TrainingJob next = job.retry(ref.attempt() + 1, failure, now.plus(backoff));
            // the next attempt is on the broker before this one is reported and acknowledged: it cannot get lost
            publish.nextAttempt(next);
            publish.event(JobFailed.of(ref, device, reason, next.attempt(), next.notBefore(), all));
            LOG.warnf(
                    error,
                    "job %s (%s) attempt %d failed (%d of %d allowed failures); attempt %d starts in %s: %s",
                    job.jobId(),
                    ref.strategy(),
                    ref.attempt(),
                    all.size(),
                    retries.maxAttempts(),
                    next.attempt(),
                    backoff,
                    reason);
            metrics.jobRetried();
            return JobOutcome.RETRIED;
        }
        String finalReason = retryable ? exhausted(all) : "not retried, another attempt cannot succeed: " + reason;
        LOG.errorf(error, "job %s (%s) failed for good: %s", job.jobId(), ref.strategy(), finalReason);
        publish.event(JobFailed.of(ref, device, finalReason, null, null, all));
        metrics.jobFailed();
        checkpoints.finished(job.jobId().toString());
        return JobOutcome.FAILED;
    }

    private String exhausted(List<FailedAttempt> all) {
        if (all.size() == 1) {
            return all.get(0).reason();
        }
        return "failed " + all.size() + " times, the retry budget (tlab.trainer.retry.max-attempts="
                + retries.maxAttempts()
                + ") is spent: "
                + all.stream()
                        .map(f -> "attempt " + f.attempt() + ": " + f.reason())
                        .collect(Collectors.joining("; "));
    }

    private JobOutcome cancel(TrainingJob job, JobRef ref, String device, int completedEpochs, Publisher publish) {
        String reason = cancellations
                .cancellation(job.experimentId())
                .map(ExperimentCancelled::reason)
                .orElse("cancelled");
        publish.event(JobCancelled.of(ref, device, completedEpochs, reason));
        LOG.infof(
                "job %s (%s) of cancelled experiment %s %s",
                job.jobId(),
                job.strategy().name(),
                job.experimentId(),
                completedEpochs == 0 ? "skipped" : "stopped after " + completedEpochs + " epoch(s)");
        metrics.jobCancelled();
        checkpoints.finished(job.jobId().toString());
        return JobOutcome.CANCELLED;
    }

    /** Waits until a retried job's {@code notBefore}; a non-null outcome ends the job before it started. */
    private JobOutcome awaitBackoff(TrainingJob job, JobControl control, Publisher publish) {
        if (job.notBefore() == null) {
            return null;
        }
        while (clock.instant().isBefore(job.notBefore())) {
            Optional<StopReason> stopping = control.stopRequested();
            if (stopping.isPresent()) {
                metrics.jobInterrupted(stopping.get());
                return JobOutcome.INTERRUPTED;
            }
            if (cancelled(job)) {
                return cancel(job, JobRef.of(job), null, 0, publish);
            }
            try {
                Thread.sleep(Math.max(
                        1,
                        Math.min(
                                WAIT_STEP_MILLIS,
                                Duration.between(clock.instant(), job.notBefore())
                                        .toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                metrics.jobInterrupted(StopReason.SHUTDOWN);
                return JobOutcome.INTERRUPTED;
            }
        }
        return null;
    }

    private boolean cancelled(TrainingJob job) {
        return cancellations.isCancelled(job.experimentId());
    }
}
