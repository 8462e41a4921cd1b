package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.trainer.engine.checkpoint.Checkpoint;
import dev.tlab.trainer.engine.checkpoint.CheckpointStore;
import dev.tlab.trainer.engine.data.LabelledImages;
import dev.tlab.trainer.engine.model.ClassifierHead;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelFileResolver;
import dev.tlab.trainer.engine.model.ModelLoader;
import dev.tlab.trainer.engine.model.ModelSource;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import dev.tlab.trainer.engine.resources.PeakMemory;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs training jobs: loads the model (or the job's last checkpoint), trains the requested epochs with batches prepared
 * ahead on worker threads ({@link TrainingRun}), checkpoints after every epoch, and finishes with an eval-mode test
 * pass that records every image's prediction ({@link TestEvaluation}); the job's peak memory is measured throughout
 * ({@link PeakMemory}). A job with an epoch selection is also evaluated on the validation split after each epoch, keeps
 * the checkpoint of its best epoch beside the newest one, may stop early, and is tested once, on the selected epoch's
 * checkpoint ({@link EpochSelector}). One job at a time per engine instance.
 */
public final class TrainingEngine {

    private final EngineSettings settings;
    private final ModelLoader loader;
    private final CheckpointStore checkpoints;

    public TrainingEngine(EngineSettings settings) {
        this.settings = settings;
        this.loader =
                new ModelLoader(ModelFileResolver.withDjlOfflineMode(settings.modelCache(), settings.modelAccess()));
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
        return plan(model, strategies, hp, null);
    }

    /**
     * The same for a dataset of {@code numClasses} classes (null: the model's own classifier): the counts of the model
     * with an {@code fc} of that many outputs, as a job would train it.
     *
     * @throws ModelUnavailableException naming {@code numClasses} when the model's classifier cannot have that size
     */
    public List<ParameterPlan> plan(
            ModelSource model, List<StrategySpec> strategies, HyperParameters hp, Integer numClasses) {
        PrecisionSupport.require(hp.precision(), device(), "precision");
        try (LoadedModel loaded = loader.load(model, Device.cpu(), 0, numClasses)) {
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
     * Trains one job: resumes after its last checkpoint or starts from the model, trains and checkpoints each epoch and
     * reports it, then evaluates on the test set.
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
        return train(job, LabelledImages.of(trainData), LabelledImages.of(testData), listener, cancelled);
    }

    /**
     * The same on any labelled images: CIFAR-10 records, or the user's own images, whose class count
     * ({@link LabelledImages#classes()}) the model's classifier is given.
     */
    public TrainingResult train(
            TrainingJob job,
            LabelledImages trainData,
            LabelledImages testData,
            TrainingListener listener,
            BooleanSupplier cancelled) {
        return train(job, trainData, null, testData, listener, cancelled);
    }

    /**
     * The same with a validation split, which a job with {@code hyperParameters.selection} needs (null or empty: such a
     * job fails for good, since no retry brings validation images).
     */
    public TrainingResult train(
            TrainingJob job,
            LabelledImages trainData,
            LabelledImages valData,
            LabelledImages testData,
            TrainingListener listener,
            BooleanSupplier cancelled) {
        long started = System.nanoTime();
        Device device = device();
        PrecisionSupport.require(job.hyperParameters().precision(), device, "hyperParameters.precision");
        if (job.hyperParameters().selection() != null && (valData == null || valData.size() == 0)) {
            throw new ValidationSplitMissingException("job " + id(job) + " selects its epoch on the validation split"
                    + " (hyperParameters.selection), but its dataset has no validation images; give the dataset"
                    + " dataset.split.val above 0 or a val/ folder, or leave the selection out");
        }
        Integer classes = trainData.classes();
        Optional<Checkpoint> resume = resumePoint(job, classes);
        PeakMemory memory = PeakMemory.start(device);
        try (TrainingRun run = new TrainingRun(
                job, openSession(job, resume, device, classes), trainData, valData, testData, settings, cancelled)) {
            resume.ifPresent(run::restore);
            listener.onStart(run.start(device));
            while (run.hasEpochsLeft()) {
                EpochMetrics epoch = run.trainEpoch();
                memory.sample();
                checkpoint(job, run);
                listener.onEpoch(epoch);
            }
            SelectedEpoch selection = run.selection();
            TestEvaluation evaluation = selection == null || selection.epoch() == run.completedEpochs()
                    ? run.evaluate()
                    : evaluateCheckpoint(job, run, selection.epoch(), device);
            ParameterPlan plan = run.session().plan();
            return new TrainingResult(
                    id(job),
                    job.strategy().name(),
                    plan.trainableParameters(),
                    plan.totalParameters(),
                    evaluation.accuracy(),
                    testData.size(),
                    run.history(),
                    resume.map(Checkpoint::completedEpoch).orElse(0),
                    (System.nanoTime() - started) / 1e9,
                    device.toString(),
                    evaluation,
                    memory.reading(),
                    selection,
                    run.validationImages());
        }
    }

    /** The test pass on the model of an earlier epoch's checkpoint, computed as the session computes. */
    private TestEvaluation evaluateCheckpoint(TrainingJob job, TrainingRun run, int epoch, Device device) {
        Checkpoint kept = checkpoints
                .epoch(id(job), epoch)
                .orElseThrow(() -> new IllegalStateException("the checkpoint of epoch " + epoch + " of job " + id(job)
                        + ", its selected epoch, is gone from " + checkpoints.jobFolder(id(job))));
        try (LoadedModel model = ModelLoader.loadFile(kept.modelFile(), device)) {
            return run.evaluate(batch -> run.session().predictWith(model, batch));
        }
    }

    /**
     * The job's newest checkpoint, when it belongs to this job (same strategy and seed, not more epochs, a classifier
     * of the dataset's classes).
     */
    private Optional<Checkpoint> resumePoint(TrainingJob job, Integer classes) {
        Optional<Checkpoint> latest = checkpoints.latest(id(job));
        latest.ifPresent(c -> checkResumable(job, c, classes));
        return latest;
    }

    /**
     * The job's model (its checkpoint's when resuming) prepared for its strategy. A job's patterns mean what the
     * planner checked: each must match a parameter, or the job fails at once.
     */
    private FineTuningSession openSession(
            TrainingJob job, Optional<Checkpoint> resume, Device device, Integer classes) {
        HyperParameters hp = job.hyperParameters();
        LoadedModel model = resume.isPresent()
                ? ModelLoader.loadFile(resume.get().modelFile(), device)
                : loader.load(model(job.model()), device, job.seed(), classes);
        try {
            List<String> names = List.copyOf(model.parameterSizes().keySet());
            PatternCheck.requireMatches(job.strategy().trainable(), names, "strategy.trainable");
            PatternCheck.requireMatches(hp.headPatterns(), names, "hyperParameters.headPatterns");
            return new FineTuningSession(model, job.strategy(), hp, channelsLast(job, device));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The model, the optimizer state and the metrics after the epoch just trained; the best validation epoch's
     * checkpoint stays beside it.
     */
    private void checkpoint(TrainingJob job, TrainingRun run) {
        FineTuningSession session = run.session();
        checkpoints.save(
                id(job),
                run.completedEpochs(),
                job.seed(),
                job.strategy().name(),
                ClassifierHead.outputs(session.model()),
                run.history(),
                session::saveModel,
                session::saveOptimizer,
                run.bestEpoch());
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

    /** Whether the job's images go to the model channels-last on this engine's device: what its report must say. */
    public boolean channelsLast(TrainingJob job) {
        return channelsLast(job, device());
    }

    private boolean channelsLast(TrainingJob job, Device device) {
        return settings.channelsLast().forJob(job, device.isGpu());
    }

    /** The job checkpoints this engine writes and resumes from. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * A checkpoint only continues the job that wrote it: same strategy, same seed, not more epochs, and for a dataset
     * with a class map a classifier of as many outputs (a checkpoint of another class count cannot continue it; the job
     * fails for good rather than train a model of the wrong size).
     */
    private static void checkResumable(TrainingJob job, Checkpoint c, Integer classes) {
        if (classes != null && c.classes() != null && !classes.equals(c.classes())) {
            throw new ResumeRefusedException("checkpoint " + c.folder() + " of job " + id(job) + " has a classifier of "
                    + c.classes() + " outputs, but the job's dataset has " + classes + " classes; it does not resume"
                    + " a job of another class count");
        }
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
    static String id(TrainingJob job) {
        return job.jobId().toString();
    }
}
