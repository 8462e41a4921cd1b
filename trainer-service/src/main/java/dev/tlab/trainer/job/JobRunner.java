package dev.tlab.trainer.job;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.trainer.data.DatasetClient;
import dev.tlab.trainer.engine.EpochMetrics;
import dev.tlab.trainer.engine.TrainingCancelledException;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.TrainingListener;
import dev.tlab.trainer.engine.TrainingResult;
import dev.tlab.trainer.engine.data.CifarRecords;
import dev.tlab.trainer.metrics.TrainerMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs one job from its message to its last event: fetch and verify the data, train (resuming from a checkpoint
 * when there is one), and publish JobStarted, one EpochCompleted per epoch, then JobCompleted or JobFailed.
 */
public final class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final TrainingEngine engine;
    private final DatasetClient datasets;
    private final JobTranslator translator;
    private final AttemptCounter attempts;
    private final TrainerMetrics metrics;
    private final JobStopper stopper;

    public JobRunner(TrainingEngine engine, DatasetClient datasets, JobTranslator translator, AttemptCounter attempts,
            TrainerMetrics metrics, JobStopper stopper) {
        this.stopper = stopper;
        this.engine = engine;
        this.datasets = datasets;
        this.translator = translator;
        this.attempts = attempts;
        this.metrics = metrics;
    }

    /** @param publish sends one event and returns once the broker has it */
    public JobOutcome run(TrainingJob job, Consumer<TrainingEvent> publish, BooleanSupplier cancelled) {
        JobRef ref = new JobRef(job.jobId(), job.experimentId(), job.strategy().name(), job.seed(),
                attempts.next(job.jobId().toString(), job.attempt()));
        String device = null;
        metrics.jobStarted();
        try {
            device = engine.device().toString();
            DatasetManifest manifest = datasets.manifest(job.manifestUrl());
            CifarRecords train = datasets.trainingRecords(manifest);
            CifarRecords test = datasets.testRecords(manifest);
            LOG.infof("job %s (%s, seed %d, attempt %d): %d training and %d test images of %s%s on %s", job.jobId(),
                    ref.strategy(), ref.seed(), ref.attempt(), train.size(), test.size(), manifest.dataset(),
                    manifest.synthetic() ? " (SYNTHETIC)" : "", device);
            String onDevice = device;
            AtomicInteger completedEpochs = new AtomicInteger();
            BooleanSupplier stop = () -> cancelled.getAsBoolean()
                    || stopper.shouldStop(job.jobId(), completedEpochs.get());
            TrainingResult result = engine.train(translator.toEngineJob(job), train, test, new TrainingListener() {
                @Override
                public void onStart(JobStart start) {
                    publish.accept(JobStarted.of(ref, onDevice, start.resumedAfterEpoch() + 1, start.totalEpochs(),
                            start.trainableParameters(), start.totalParameters(), manifest.dataset(), manifest.synthetic()));
                }

                @Override
                public void onEpoch(EpochMetrics m) {
                    completedEpochs.set(m.epoch());
                    metrics.epoch(ref.strategy(), m);
                    publish.accept(EpochCompleted.of(ref, onDevice, m.epoch(), m.totalEpochs(), m.loss(),
                            m.trainAccuracy(), m.seconds(), m.imagesPerSecond(), m.dataWaitSeconds()));
                }
            }, stop);
            publish.accept(JobCompleted.of(ref, result.device(), result.testAccuracy(), result.trainableParameters(),
                    result.totalParameters(), result.wallSeconds(), job.hyperParameters().epochs()));
            LOG.infof("job %s (%s) completed: test accuracy %.4f", job.jobId(), ref.strategy(), result.testAccuracy());
            metrics.jobCompleted();
            return JobOutcome.COMPLETED;
        } catch (TrainingCancelledException e) {
            LOG.warnf("job %s (%s) stopped after %d epochs; it resumes from its checkpoint when redelivered",
                    job.jobId(), ref.strategy(), e.completedEpochs());
            metrics.jobInterrupted();
            return JobOutcome.INTERRUPTED;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.errorf(e, "job %s (%s) failed: %s", job.jobId(), ref.strategy(), reason);
            publish.accept(JobFailed.of(ref, device, reason));
            metrics.jobFailed();
            return JobOutcome.FAILED;
        }
    }
}
