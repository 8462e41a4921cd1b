package dev.tlab.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.messaging.CancelledExperiments;
import dev.tlab.trainer.data.DatasetClient;
import dev.tlab.trainer.engine.EngineProbe;
import dev.tlab.trainer.engine.EngineReport;
import dev.tlab.trainer.engine.EngineSettings;
import dev.tlab.trainer.engine.TrainingEngine;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.health.DeviceFaults;
import dev.tlab.trainer.job.AttemptCounter;
import dev.tlab.trainer.job.CheckpointRetention;
import dev.tlab.trainer.job.JobControl;
import dev.tlab.trainer.job.JobOutcome;
import dev.tlab.trainer.job.JobRunner;
import dev.tlab.trainer.job.RetryPolicy;
import dev.tlab.trainer.job.StopReason;
import dev.tlab.trainer.job.TrainerActivity;
import dev.tlab.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that end without a result and are released for their next owner, with real training on the CPU. A job that fails
 * because the device broke (a sticky CUDA error, or a device that fails the probe after the job) is not failed: no
 * JobFailed, no retry published, its checkpoint kept and its record not acknowledged, and the trainer takes itself out
 * of service with the reason; the error enters where libtorch's would, inside the engine's training loop (through the
 * publisher of the epoch's event: this machine has no GPU to break). A job told to stop before it started reports
 * nothing, and one whose trainer stopped waiting for it (fenced) publishes nothing more.
 */
class ReleasedJobTest {
    private static final FakeDatasetService dataset = new FakeDatasetService();
    private static final String ILLEGAL_ADDRESS = "CUDA error: an illegal memory access was encountered\n"
            + "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below"
            + " might be incorrect.\nException raised from c10_cuda_check_implementation at"
            + " ../c10/cuda/CUDAException.cpp:43 (most recent call first):";

    @TempDir
    static Path dir;

    private static TrainingEngine engine;

    private final List<TrainingEvent> published = new CopyOnWriteArrayList<>();
    private final List<TrainingJob> retries = new CopyOnWriteArrayList<>();
    private final List<String> outOfService = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        dataset.start();
        engine = new TrainingEngine(EngineSettings.defaults(dir.resolve("checkpoints"), dir.resolve("models"))
                .withDevice("cpu")
                .withDataThreads(1, PrefetchBudget.of(0, 2))
                .withDefaultModel(new ModelSpec("../models/resnet18-narrow.pt", null))
                .withModelAccess(ModelAccess.folders(
                        Path.of("../models").toAbsolutePath().normalize())));
    }

    @AfterAll
    static void stop() {
        dataset.stop();
    }

    /** The engine's own start-up check, as the service runs it after a failed job. */
    private static Optional<String> realProbe() {
        EngineReport report = EngineProbe.probe("cpu");
        return report.ready() ? Optional.empty() : Optional.of(report.reason());
    }

    private JobOutcome run(TrainingJob job, RuntimeException atTheFirstEpoch, Supplier<Optional<String>> probe) {
        return run(job, atTheFirstEpoch, probe, JobControl.UNTIL_DONE);
    }

    private JobOutcome run(
            TrainingJob job, RuntimeException atTheFirstEpoch, Supplier<Optional<String>> probe, JobControl control) {
        AttemptCounter attempts = new AttemptCounter(dir.resolve("checkpoints"));
        JobRunner runner = new JobRunner(
                engine,
                new DatasetClient(dir.resolve("data"), Optional.of(FakeDatasetService.READER_TOKEN), dataset.baseUrl()),
                attempts,
                new TrainerMetrics(registry),
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO),
                new CancelledExperiments(),
                new CheckpointRetention(engine.checkpoints(), attempts, Duration.ofDays(1), Clock.systemUTC()),
                Clock.systemUTC(),
                null,
                ran -> null,
                new DeviceFaults(probe, outOfService::add),
                TrainerActivity.NONE);
        JobRunner.Publisher publisher = new JobRunner.Publisher() {
            @Override
            public void event(TrainingEvent event) {
                if (event instanceof EpochCompleted && atTheFirstEpoch != null) {
                    throw atTheFirstEpoch;
                }
                published.add(event);
            }

            @Override
            public void nextAttempt(TrainingJob next) {
                retries.add(next);
            }
        };
        return runner.run(job, publisher, control);
    }

    /** A control whose answers the test changes while the job runs. */
    private static final class Control implements JobControl {
        volatile StopReason stop;
        volatile boolean fenced;

        @Override
        public Optional<StopReason> stopRequested() {
            return Optional.ofNullable(stop);
        }

        @Override
        public boolean fenced() {
            return fenced;
        }
    }

    @Test
    void aJobToldToStopBeforeItStartedReportsNothing() {
        Control control = new Control();
        control.stop = StopReason.REVOKED;
        TrainingJob job = job();
        assertEquals(JobOutcome.INTERRUPTED, run(job, null, ReleasedJobTest::realProbe, control));
        assertEquals(List.of(), types(), "its next owner says that it started");
        assertEquals(1.0, interrupted("revoked"));
    }

    /** Once the trainer stopped waiting for it, another trainer may train and report the same epoch. */
    @Test
    void aFencedJobPublishesNoMoreEpochsAndNoResult() {
        Control control = new Control();
        TrainingJob job = job();
        JobOutcome outcome = run(
                job,
                null,
                () -> {
                    throw new AssertionError("a stopped job is not a failure to look into");
                },
                new JobControl() {
                    @Override
                    public Optional<StopReason> stopRequested() {
                        return control.stopRequested();
                    }

                    @Override
                    public boolean fenced() {
                        if (!published.isEmpty()) {
                            // the revocation came, and its wait ran out, while the first epoch trained
                            control.stop = StopReason.REVOKED;
                            control.fenced = true;
                        }
                        return control.fenced;
                    }
                });
        assertEquals(JobOutcome.INTERRUPTED, outcome);
        assertEquals(List.of("JobStarted"), types(), "no EpochCompleted, no JobCompleted");
    }

    private static TrainingJob job() {
        return dataset.job(
                UUID.randomUUID(),
                StrategySpec.named("partial"),
                HyperParameters.builder()
                        .epochs(3)
                        .trainBatchSize(16)
                        .evalBatchSize(16)
                        .imageSize(32)
                        .build(),
                ModelSpec.trainerDefault());
    }

    @Test
    void aStickyCudaErrorReleasesTheJobAndTakesTheTrainerOutOfService() {
        TrainingJob job = job();
        JobOutcome outcome = run(job, new EngineException(ILLEGAL_ADDRESS), ReleasedJobTest::realProbe);

        assertEquals(JobOutcome.INTERRUPTED, outcome, "not acknowledged: another trainer takes the job");
        assertFalse(outcome.acknowledged());
        assertEquals(List.of("JobStarted"), types(), "no JobFailed");
        assertEquals(List.of(), retries, "no retry budget spent");
        assertEquals(
                List.of("the job failed with a CUDA error: CUDA error: an illegal memory access was encountered"),
                outOfService);
        assertEquals(1.0, interrupted("device-fault"));
        Path checkpoints = dir.resolve("checkpoints").resolve(job.jobId().toString());
        assertTrue(Files.isDirectory(checkpoints.resolve("epoch-0001")), "its checkpoint stays for the next owner");
        assertFalse(Files.exists(checkpoints.resolve("finished")));
    }

    @Test
    void aFailureAfterWhichTheDeviceFailsTheProbeReleasesTheJob() {
        JobOutcome outcome = run(
                job(),
                new IllegalStateException("the step's loss was not finite"),
                () -> Optional.of("libtorch cannot run on gpu(0): CUDA error: unknown error"));
        assertEquals(JobOutcome.INTERRUPTED, outcome);
        assertEquals(List.of("JobStarted"), types());
        assertEquals(
                List.of("after a job failed (the step's loss was not finite): libtorch cannot run on gpu(0): CUDA"
                        + " error: unknown error"),
                outOfService);
    }

    /** The control case: a failure on a device that still computes is the job's, retried within its budget. */
    @Test
    void aFailureOnAWorkingDeviceIsRetried() {
        for (RuntimeException error : List.of(
                new IllegalStateException("the step's loss was not finite"),
                new EngineException("CUDA error: out of memory"))) {
            published.clear();
            retries.clear();
            JobOutcome outcome = run(job(), error, ReleasedJobTest::realProbe);
            assertEquals(JobOutcome.RETRIED, outcome, error.getMessage());
            assertEquals(List.of("JobStarted", "JobFailed"), types());
            assertEquals(2, ((JobFailed) published.get(1)).nextAttempt());
            assertEquals(1, retries.size());
        }
        assertEquals(List.of(), outOfService, "the trainer stays in service");
    }

    private List<String> types() {
        return published.stream().map(TrainingEvent::type).toList();
    }

    private double interrupted(String reason) {
        return registry.get("tl.trainer.jobs.interrupted")
                .tag("reason", reason)
                .counter()
                .count();
    }
}
