package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.trainer.engine.checkpoint.Checkpoint;
import dev.tlab.trainer.engine.checkpoint.CheckpointStore;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelFileResolver;
import dev.tlab.trainer.engine.model.ModelLoader;
import dev.tlab.trainer.engine.model.ModelSource;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs training jobs: loads the model (or the job's last checkpoint), trains the requested epochs with batches prepared
 * ahead on worker threads, checkpoints after every epoch, and finishes with an eval-mode test pass. One job at a time
 * per engine instance.
 */
public final class TrainingEngine {

    private final EngineSettings settings;
    private final ModelLoader loader;
    private final CheckpointStore checkpoints;

    public TrainingEngine(EngineSettings settings) {
        this.settings = settings;
        this.loader = new ModelLoader(ModelFileResolver.withDjlOfflineMode(settings.modelCache()));
        this.checkpoints = new CheckpointStore(settings.checkpointRoot());
    }

    /** The node-level settings it was built with. */
    public EngineSettings settings() {
        return settings;
    }

    /** The device jobs run on, from the setting and the GPUs the PyTorch engine sees. */
    public Device device() {
        return DeviceSelector.select(
                settings.device(), Engine.getEngine("PyTorch").getGpuCount());
    }

    /**
     * Dry run: trainable and total parameter counts of each strategy, without training.
     *
     * @throws dev.tlab.contracts.InvalidFieldException when a pattern matches no parameter of the model, naming it
     *     ({@code strategies[i].trainable[j]}, {@code headPatterns[j]}), or {@code precision} when this trainer's
     *     device cannot train in the asked precision
     */
    public List<ParameterPlan> plan(ModelSource model, List<StrategySpec> strategies, HyperParameters hp) {
        PrecisionSupport.require(hp.precision(), device(), "precision");
        try (LoadedModel loaded = loader.load(model, Device.cpu())) {
            List<String> names = List.copyOf(loaded.parameterSizes().keySet());
            for (int i = 0; i < strategies.size(); i++) {
                PatternCheck.requireMatches(strategies.get(i).trainable(), names, "strategies[" + i + "].trainable");
            }
            PatternCheck.requireMatches(hp.headPatterns(), names, "headPatterns");
            StrategyPlanner planner = new StrategyPlanner(hp.headPatterns());
            return strategies.stream()
                    .map(s -> planner.plan(s, loaded.parameterSizes()))
                    .toList();
        }
    }

    /**
     * Trains one job. If the job's checkpoint folder holds a finished epoch, training resumes after it.
     *
     * @param cancelled polled between batches; when true the job stops with {@link TrainingCancelledException} (the
     *     thread's interrupt flag has the same effect)
     */
    public TrainingResult train(
            TrainingJob job,
            CifarRecords trainData,
            CifarRecords testData,
            TrainingListener listener,
            BooleanSupplier cancelled) {
        long started = System.nanoTime();
        HyperParameters hp = job.hyperParameters();
        Device device = device();
        PrecisionSupport.require(hp.precision(), device, "hyperParameters.precision");
        Optional<Checkpoint> resume = checkpoints.latest(id(job));
        resume.ifPresent(c -> checkResumable(job, c));
        LoadedModel model = resume.isPresent()
                ? ModelLoader.loadFile(resume.get().modelFile(), device)
                : loader.load(model(job.model()), device, job.seed());
        FineTuningSession opened;
        try {
            // a job's patterns mean what the planner checked: each must match a parameter, or the job fails at once
            List<String> names = List.copyOf(model.parameterSizes().keySet());
            PatternCheck.requireMatches(job.strategy().trainable(), names, "strategy.trainable");
            PatternCheck.requireMatches(hp.headPatterns(), names, "hyperParameters.headPatterns");
            opened = new FineTuningSession(model, job.strategy(), hp, settings.channelsLast());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        ExecutorService workers = Executors.newFixedThreadPool(settings.dataThreads(), daemonThreads(id(job)));
        int done = 0;
        try (FineTuningSession session = opened) {
            List<EpochMetrics> history = new ArrayList<>();
            if (resume.isPresent()) {
                try (InputStream in = Files.newInputStream(resume.get().optimizerFile())) {
                    session.loadOptimizer(in);
                }
                done = resume.get().completedEpoch();
                history.addAll(resume.get().history());
            }
            checkLabels(session, trainData, testData);
            ParameterPlan plan = session.plan();
            listener.onStart(new TrainingListener.JobStart(
                    id(job),
                    job.strategy().name(),
                    plan.trainableParameters(),
                    plan.totalParameters(),
                    done,
                    hp.epochs(),
                    device.toString()));
            ImageTransforms transforms = new ImageTransforms(hp.imageSize());
            for (int epoch = done + 1; epoch <= hp.epochs(); epoch++) {
                EpochMetrics metrics = trainEpoch(job, session, trainData, transforms, workers, epoch, done, cancelled);
                history.add(metrics);
                checkpoints.save(
                        id(job),
                        epoch,
                        job.seed(),
                        job.strategy().name(),
                        history,
                        session::saveModel,
                        session::saveOptimizer);
                done = epoch;
                listener.onEpoch(metrics);
            }
            long correct = 0;
            try (BatchPipeline test = BatchPipeline.evaluation(
                    testData, hp.evalBatchSize(), transforms, workers, settings.prefetchBatches())) {
                while (test.hasNext()) {
                    checkCancelled(job, cancelled, done);
                    correct += session.evaluate(test.next());
                }
            }
            double accuracy = testData.size() == 0 ? 0 : (double) correct / testData.size();
            return new TrainingResult(
                    id(job),
                    job.strategy().name(),
                    plan.trainableParameters(),
                    plan.totalParameters(),
                    accuracy,
                    testData.size(),
                    history,
                    resume.map(Checkpoint::completedEpoch).orElse(0),
                    (System.nanoTime() - started) / 1e9,
                    device.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint of job " + id(job), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingCancelledException(id(job), done);
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * Where a job's model comes from: its own location, or the trainer's default when the job names none.
     *
     * @throws ModelUnavailableException when neither is set
     */
    public ModelSource model(ModelSpec spec) {
        ModelSource weights = spec == null || spec.weightsUri() == null
                ? null
                : new ModelSource(spec.weightsUri(), spec.weightsSha256());
        if (spec != null && spec.uri() != null) {
            return new ModelSource(spec.uri(), spec.sha256(), weights);
        }
        ModelSpec fallback = settings.defaultModel();
        if (fallback == null || fallback.uri() == null) {
            throw new ModelUnavailableException("The job names no model and tlab.trainer.default-model is not set");
        }
        return new ModelSource(fallback.uri(), fallback.sha256(), weights);
    }

    /** The job checkpoints this engine writes and resumes from. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    private EpochMetrics trainEpoch(
            TrainingJob job,
            FineTuningSession session,
            CifarRecords data,
            ImageTransforms transforms,
            ExecutorService workers,
            int epoch,
            int done,
            BooleanSupplier cancelled)
            throws InterruptedException {
        HyperParameters hp = job.hyperParameters();
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        double waited;
        try (BatchPipeline batches = BatchPipeline.training(
                data, hp.trainBatchSize(), transforms, job.seed(), epoch, workers, settings.prefetchBatches())) {
            while (batches.hasNext()) {
                checkCancelled(job, cancelled, done);
                Batch batch = batches.next();
                FineTuningSession.StepResult r = session.trainStep(batch);
                lossSum += r.lossSum();
                correct += r.correct();
                samples += r.samples();
            }
            waited = batches.waitSeconds();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochMetrics(
                epoch,
                hp.epochs(),
                samples == 0 ? 0 : lossSum / samples,
                samples == 0 ? 0 : (double) correct / samples,
                seconds,
                samples / seconds,
                waited,
                samples);
    }

    /** A checkpoint only continues the job that wrote it: same strategy, same seed, not more epochs. */
    private static void checkResumable(TrainingJob job, Checkpoint c) {
        if (!job.strategy().name().equals(c.strategy()) || job.seed() != c.seed()) {
            throw new IllegalStateException("checkpoint " + c.folder() + " belongs to strategy " + c.strategy()
                    + " with seed " + c.seed() + ", not to job " + id(job) + " ("
                    + job.strategy().name()
                    + ", seed " + job.seed() + "); job ids must be unique per strategy and seed");
        }
        if (c.completedEpoch() > job.hyperParameters().epochs()) {
            throw new IllegalStateException(
                    "checkpoint " + c.folder() + " has " + c.completedEpoch() + " epochs but job " + id(job)
                            + " asks for " + job.hyperParameters().epochs());
        }
    }

    /** A job's checkpoint folder and thread names. */
    private static String id(TrainingJob job) {
        return job.jobId().toString();
    }

    private static void checkCancelled(TrainingJob job, BooleanSupplier cancelled, int done) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new TrainingCancelledException(id(job), done);
        }
    }

    private static void checkLabels(FineTuningSession session, CifarRecords train, CifarRecords test) {
        var sizes = session.model().parameterSizes();
        Long classes = null;
        if (sizes.containsKey("fc.bias")) {
            classes = sizes.get("fc.bias");
        }
        int needed = Math.max(train.labelBound(), test.labelBound());
        if (classes != null && needed > classes) {
            throw new ModelUnavailableException("The model's head has " + classes + " outputs but the data has"
                    + " labels up to " + (needed - 1) + "; export it with --classes " + needed);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String jobId) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "batches-" + jobId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
