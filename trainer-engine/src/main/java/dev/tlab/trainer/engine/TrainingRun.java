package dev.tlab.trainer.engine;

import ai.djl.Device;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.trainer.engine.checkpoint.Checkpoint;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.data.LabelledImages;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One job being trained: its session, its data and the data threads, the epochs done so far. The steps of
 * {@link TrainingEngine#train} in the order it calls them: {@link #restore} (when resuming), {@link #start}, then
 * {@link #trainEpoch} while {@link #hasEpochsLeft}, then {@link #evaluate}. A job with an epoch selection evaluates
 * each epoch on the validation split as part of it and stops early when its patience runs out ({@link EpochSelector}).
 * Every pass checks for cancellation between batches and stops with {@link TrainingCancelledException}, which says how
 * many epochs were completed.
 */
final class TrainingRun implements AutoCloseable {

    private final TrainingJob job;
    private final HyperParameters hp;
    private final FineTuningSession session;
    private final LabelledImages trainData;
    private final LabelledImages valData;
    private final LabelledImages testData;
    private final EpochSelector selector;
    private final EngineSettings settings;
    private final BooleanSupplier cancelled;
    private final ImageTransforms transforms;
    private final ExecutorService workers;
    private final List<EpochMetrics> history = new ArrayList<>();
    private int done;

    TrainingRun(
            TrainingJob job,
            FineTuningSession session,
            LabelledImages trainData,
            LabelledImages valData,
            LabelledImages testData,
            EngineSettings settings,
            BooleanSupplier cancelled) {
        this.job = job;
        this.hp = job.hyperParameters();
        this.session = session;
        this.trainData = trainData;
        this.valData = valData;
        this.testData = testData;
        this.selector = hp.selection() == null ? null : new EpochSelector(hp.selection());
        this.settings = settings;
        this.cancelled = cancelled;
        this.transforms = new ImageTransforms(hp.imageSize());
        this.workers = Executors.newFixedThreadPool(settings.dataThreads(), daemonThreads(id()));
    }

    /** Continues after the checkpoint's last epoch: its optimizer state, its epochs' metrics. */
    void restore(Checkpoint checkpoint) {
        try (InputStream in = Files.newInputStream(checkpoint.optimizerFile())) {
            session.loadOptimizer(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint of job " + id(), e);
        }
        done = checkpoint.completedEpoch();
        history.addAll(checkpoint.history());
    }

    /** Checks that the model's head covers the data's labels; what the job starts with. */
    TrainingListener.JobStart start(Device device) {
        checkLabels();
        ParameterPlan plan = session.plan();
        return new TrainingListener.JobStart(
                id(),
                job.strategy().name(),
                plan.trainableParameters(),
                plan.totalParameters(),
                done,
                hp.epochs(),
                device.toString());
    }

    /** Epochs asked that are not trained yet, unless the selection's patience ran out. */
    boolean hasEpochsLeft() {
        return done < hp.epochs() && (selector == null || !selector.patienceRunOut(history));
    }

    /**
     * Trains the next epoch on batches prepared ahead by the data threads; with an epoch selection, then evaluates it
     * on the validation split.
     */
    EpochMetrics trainEpoch() {
        int epoch = done + 1;
        long t0 = System.nanoTime();
        FineTuningSession.StepResult trained;
        double waited;
        try (BatchPipeline batches = BatchPipeline.training(
                trainData, hp.trainBatchSize(), transforms, job.seed(), epoch, workers, ahead(hp.trainBatchSize()))) {
            trained = everyBatch(batches, session::trainStep);
            waited = batches.waitSeconds();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int samples = trained.samples();
        EpochMetrics metrics = new EpochMetrics(
                epoch,
                hp.epochs(),
                samples == 0 ? 0 : trained.lossSum() / samples,
                samples == 0 ? 0 : (double) trained.correct() / samples,
                seconds,
                samples / seconds,
                waited,
                samples);
        if (selector != null) {
            metrics = validate(metrics);
        }
        history.add(metrics);
        done = epoch;
        return metrics;
    }

    /** The eval-mode pass over the validation split after an epoch: its mean cross-entropy and accuracy. */
    private EpochMetrics validate(EpochMetrics epoch) {
        long t0 = System.nanoTime();
        FineTuningSession.StepResult validated;
        try (BatchPipeline val =
                BatchPipeline.evaluation(valData, hp.evalBatchSize(), transforms, workers, ahead(hp.evalBatchSize()))) {
            validated = everyBatch(val, session::validate);
        }
        int samples = validated.samples();
        return epoch.withValidation(
                validated.lossSum() / samples, (double) validated.correct() / samples, (System.nanoTime() - t0) / 1e9);
    }

    /** One step on every batch of a pass, checking for cancellation between them: the summed loss and hits. */
    private FineTuningSession.StepResult everyBatch(
            BatchPipeline batches, Function<Batch, FineTuningSession.StepResult> step) {
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        while (batches.hasNext()) {
            checkCancelled();
            FineTuningSession.StepResult r = step.apply(next(batches));
            lossSum += r.lossSum();
            correct += r.correct();
            samples += r.samples();
        }
        return new FineTuningSession.StepResult(lossSum, correct, samples);
    }

    /** The images the validation passes so far evaluated (validation images x validated epochs). */
    long validationImages() {
        return valData == null
                ? 0
                : valData.size()
                        * history.stream().filter(EpochMetrics::validated).count();
    }

    /** The best validation epoch so far, 0 without an epoch selection or a validated epoch. */
    int bestEpoch() {
        return selector == null
                ? 0
                : selector.best(history).map(EpochMetrics::epoch).orElse(0);
    }

    /** The epoch tested and why, for a job with an epoch selection; null without one. */
    SelectedEpoch selection() {
        return selector == null ? null : selector.selected(history, hp.epochs());
    }

    /** The eval-mode pass over the test set: every image's predicted class and confidence. */
    TestEvaluation evaluate() {
        return evaluate(session::predict);
    }

    /** The same pass with another model's predictions (the checkpoint of the selected epoch). */
    TestEvaluation evaluate(Function<Batch, FineTuningSession.Predicted> model) {
        long t0 = System.nanoTime();
        TestEvaluation.Builder evaluation = new TestEvaluation.Builder(testData.size());
        try (BatchPipeline test = BatchPipeline.evaluation(
                testData, hp.evalBatchSize(), transforms, workers, ahead(hp.evalBatchSize()))) {
            while (test.hasNext()) {
                checkCancelled();
                Batch batch = next(test);
                evaluation.add(batch.labels(), model.apply(batch));
            }
        }
        return evaluation.build((System.nanoTime() - t0) / 1e9, testData.labelBound());
    }

    FineTuningSession session() {
        return session;
    }

    int completedEpochs() {
        return done;
    }

    List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    String id() {
        return TrainingEngine.id(job);
    }

    /** Batches ahead for this pass's batch size, within the prefetch budget. */
    private int ahead(int batchSize) {
        return settings.prefetch().batchesAhead(Batch.bytes(batchSize, hp.imageSize()));
    }

    private Batch next(BatchPipeline batches) {
        try {
            return batches.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingCancelledException(id(), done);
        }
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new TrainingCancelledException(id(), done);
        }
    }

    private void checkLabels() {
        Long classes = session.model().parameterSizes().get("fc.bias");
        int needed = Math.max(trainData.labelBound(), testData.labelBound());
        if (valData != null) {
            needed = Math.max(needed, valData.labelBound());
        }
        if (classes != null && needed > classes) {
            throw new ModelUnavailableException("The model's head has " + classes + " outputs but the data has"
                    + " labels up to " + (needed - 1) + "; export it with --classes " + needed);
        }
    }

    /** Stops the data threads and closes the session (and its model). */
    @Override
    public void close() {
        try {
            workers.shutdownNow();
        } finally {
            session.close();
        }
    }

    private static ThreadFactory daemonThreads(String jobId) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "batches-" + jobId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
