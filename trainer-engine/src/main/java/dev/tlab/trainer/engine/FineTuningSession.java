package dev.tlab.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.optim.PyTorchAdamW;
import dev.tlab.trainer.engine.precision.Autocast;
import dev.tlab.trainer.engine.precision.LossScale;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded model prepared for one strategy: parameters frozen or trainable, the AdamW optimizer with a head and a
 * backbone learning rate, and the single-batch operations the training loop is made of.
 *
 * <p>The loop is written out here rather than run through DJL's {@code Trainer}: creating a {@code Trainer} unfreezes
 * every parameter of a loaded model, DJL's PyTorch gradient collector leaves gradient zeroing to the caller, and DJL's
 * built-in AdamW differs from PyTorch's and cannot be checkpointed (see {@link PyTorchAdamW}). Owning forward,
 * backward, update and zeroing keeps the semantics those of a PyTorch loop ({@code zero_grad}, {@code backward},
 * {@code step}); freezing is applied here, after which nothing unfreezes it again.
 *
 * <p>Precision ({@link Precision}) is {@code torch.autocast}'s: the forward runs under libtorch's autocast
 * ({@link Autocast}) for bf16 and fp16, the logits come back to float32 before the loss, the backward runs outside it
 * and the float32 parameters, their gradients and the optimizer state stay float32; fp16 adds a dynamic loss scale
 * ({@link LossScale}). Evaluation computes in the same precision as training.
 */
public final class FineTuningSession implements AutoCloseable {

    private final LoadedModel model;
    private final PtSymbolBlock block;
    private final ParameterPlan plan;
    private final List<Parameter> trainable = new ArrayList<>();
    private final PyTorchAdamW optimizer;
    private final ParameterStore parameterStore;
    private final NDManager manager;
    private final Precision precision;
    private final boolean channelsLast;
    private final LossScale lossScale;

    public FineTuningSession(LoadedModel model, StrategySpec strategy, HyperParameters hp) {
        this(model, strategy, hp, false);
    }

    /**
     * @param channelsLast hand images to the model in channels-last memory order (see
     *     {@link EngineSettings#channelsLast()})
     */
    public FineTuningSession(LoadedModel model, StrategySpec strategy, HyperParameters hp, boolean channelsLast) {
        this.model = model;
        this.precision = hp.precision();
        this.channelsLast = channelsLast;
        this.lossScale = precision == Precision.FP16 ? new LossScale() : null;
        this.block = model.block();
        this.manager = model.model().getNDManager();
        this.plan = new StrategyPlanner(hp.headPatterns()).plan(strategy, model.parameterSizes());
        PyTorchAdamW.Builder adamW = PyTorchAdamW.builder()
                .betas(hp.beta1(), hp.beta2())
                .epsilon(hp.epsilon())
                .weightDecay(hp.weightDecay());
        Map<String, Parameter> parameters = model.parameters();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            boolean train = plan.trainableNames().contains(e.getKey());
            // Sets requires_grad on the tensor itself, so autograd skips frozen ones like PyTorch does.
            p.freeze(!train);
            if (train) {
                trainable.add(p);
                boolean head = plan.headNames().contains(e.getKey());
                adamW.parameter(e.getKey(), p.getArray(), head ? hp.headLearningRate() : hp.backboneLearningRate());
            }
        }
        this.optimizer = trainable.isEmpty() ? null : adamW.build();
        this.parameterStore = new ParameterStore(manager, false);
        // The module is loaded in eval mode and DJL does not switch it for the first training forward:
        // without this, BatchNorm would silently keep its running statistics frozen.
        JniUtils.enableTrainingMode(block);
    }

    public ParameterPlan plan() {
        return plan;
    }

    public LoadedModel model() {
        return model;
    }

    /** Outcome of one training batch: summed loss (loss x samples) and correct predictions. */
    public record StepResult(double lossSum, long correct, int samples) {}

    /**
     * One optimizer step on a batch, in training mode: forward, mean cross-entropy, backward, AdamW update of the
     * trainable parameters, gradients zeroed. With no trainable parameter the forward still runs in training mode
     * (BatchNorm statistics update) and nothing is updated.
     *
     * <p>On a GPU the whole step is queued before anything is read back: the images and labels go to the device (two
     * copies from the host), the optimizer runs there (one fused kernel call per learning-rate group; its learning
     * rates, betas and eps are kernel arguments and its step counts live on the device, see {@link PyTorchAdamW}), and
     * the only device-to-host transfers are the two scalars at the end, the loss and the number of correct predictions,
     * which are also the step's only synchronisation. (In float16 the loss scale's overflow check reads one more.)
     */
    public StepResult trainStep(Batch batch) {
        ensureTrainingMode();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input(scope, batch, channelsLast);
            NDArray y = scope.create(batch.labels());
            NDArray logits;
            NDArray loss;
            if (trainable.isEmpty()) {
                logits = forward(block, parameterStore, x, true, precision);
                loss = crossEntropy(logits, y);
            } else {
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    logits = forward(block, parameterStore, x, true, precision);
                    loss = crossEntropy(logits, y);
                    collector.backward(lossScale == null ? loss : lossScale.scale(loss));
                }
                applyUpdates();
            }
            NDArray hits = hits(logits, y); // queued before the first read-back, so the step drains once
            double lossValue = loss.getFloat();
            return new StepResult(lossValue * batch.size(), hits.getLong(), batch.size());
        }
    }

    /**
     * A validation step: the batch's summed cross-entropy and correct predictions in eval mode, no autograd (the loss
     * as the training step computes it, so that training and validation loss are the same measure). Two scalars come
     * back to the host.
     */
    public StepResult validate(Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = evalForward(block, parameterStore, scope, batch, precision, channelsLast);
            NDArray y = scope.create(batch.labels());
            NDArray loss = crossEntropy(logits, y);
            NDArray hits = hits(logits, y);
            return new StepResult(loss.getFloat() * (double) batch.size(), hits.getLong(), batch.size());
        }
    }

    /** Correct predictions on a batch in eval mode (BatchNorm uses its running statistics), no autograd. */
    public long evaluate(Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            return evaluate(block, parameterStore, scope, batch, precision, channelsLast);
        }
    }

    /**
     * Correct predictions of any loaded TorchScript block on a batch, exactly as the session evaluates (eval mode, no
     * autograd): also what {@link ModelEvaluator} scores a saved model with.
     */
    static long evaluate(
            PtSymbolBlock block,
            ParameterStore store,
            NDManager scope,
            Batch batch,
            Precision precision,
            boolean channelsLast) {
        NDArray logits = evalForward(block, store, scope, batch, precision, channelsLast);
        return hits(logits, scope.create(batch.labels())).getLong();
    }

    /**
     * The predicted classes of a batch and their confidences: {@code classes[i]} is the largest output for image i,
     * {@code confidences[i]} its softmax probability; {@code outputs} is the model's number of outputs.
     */
    public record Predicted(int outputs, long[] classes, float[] confidences) {
        public int size() {
            return classes.length;
        }
    }

    /**
     * The predictions of a batch in eval mode, as {@link #evaluate(Batch)} scores it (the same forward and argmax). On
     * a GPU the softmax, its maximum and the argmax run on the device: two numbers per image come back to the host.
     */
    public Predicted predict(Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            return predict(block, parameterStore, scope, batch, precision, channelsLast);
        }
    }

    /**
     * The predictions of a batch by another loaded model (a checkpoint of an earlier epoch), computed as this session
     * computes its own: the same precision and memory order.
     */
    public Predicted predictWith(LoadedModel other, Batch batch) {
        try (NDManager scope = other.model().getNDManager().newSubManager()) {
            return predict(other.block(), new ParameterStore(scope, false), scope, batch, precision, channelsLast);
        }
    }

    static Predicted predict(
            PtSymbolBlock block,
            ParameterStore store,
            NDManager scope,
            Batch batch,
            Precision precision,
            boolean channelsLast) {
        NDArray logits = evalForward(block, store, scope, batch, precision, channelsLast);
        NDArray classes = logits.argMax(1);
        NDArray confidences = logits.softmax(1).max(new int[] {1});
        return new Predicted((int) logits.getShape().get(1), classes.toLongArray(), confidences.toFloatArray());
    }

    public Precision precision() {
        return precision;
    }

    /** The fp16 loss scale now, or 1 in the other precisions (for tests and diagnostics). */
    public double lossScale() {
        return lossScale == null ? 1 : lossScale.value();
    }

    /** Eval-mode logits of a batch, copied to the host (for tests and diagnostics). */
    public float[] evalLogits(Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            return evalForward(block, parameterStore, scope, batch, precision, channelsLast)
                    .toFloatArray();
        }
    }

    /** Host copy of a parameter's values (for tests and diagnostics). */
    public float[] parameterValues(String name) {
        return model.parameters().get(name).getArray().toFloatArray();
    }

    /** Writes the whole TorchScript module (parameters and BatchNorm buffers) as a loadable file. */
    public void saveModel(OutputStream out) {
        JniUtils.writeModule(block, out, false);
    }

    public void saveOptimizer(OutputStream out) throws IOException {
        try (NDList state = optimizer == null ? new NDList() : optimizer.exportState()) {
            state.encode(out);
        }
    }

    public void loadOptimizer(InputStream in) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList state = NDList.decode(tmp, in);
            if (optimizer != null) {
                optimizer.importState(state);
            }
        }
    }

    public int optimizerSteps(String parameterName) {
        return optimizer == null ? 0 : optimizer.stepCount(parameterName);
    }

    /** What the last optimizer step handed to the device (for tests and diagnostics); empty before any step. */
    public PyTorchAdamW.StepTrace lastOptimizerStep() {
        return optimizer == null ? new PyTorchAdamW.StepTrace(0, 0, 0) : optimizer.lastStep();
    }

    private static NDArray evalForward(
            PtSymbolBlock block,
            ParameterStore store,
            NDManager scope,
            Batch batch,
            Precision precision,
            boolean channelsLast) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            JniUtils.enableInferenceMode(block);
            return forward(block, store, input(scope, batch, channelsLast), false, precision);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * The module's forward in the asked precision, as {@code with torch.autocast(...): logits = model(x)}; the logits
     * come back as float32 so that the loss and the predictions are computed in float32 whatever the precision.
     */
    private static NDArray forward(
            PtSymbolBlock block, ParameterStore store, NDArray x, boolean training, Precision precision) {
        NDArray logits;
        try (Autocast ignored = Autocast.enter(precision, x.getDevice())) {
            logits = block.forward(store, new NDList(x), training).singletonOrThrow();
        }
        if (precision == Precision.FP32) {
            return logits;
        }
        // DJL's toType runs under no_grad (the JNI cast detaches), so the cast back is type promotion instead: adding a
        // float32 row of zeros gives float32 logits that autograd follows back into the network
        return logits.add(
                logits.getManager().zeros(new Shape(1, logits.getShape().get(1)), DataType.FLOAT32));
    }

    private void ensureTrainingMode() {
        // block.forward(.., true) switches back after an eval pass; calling it here is idempotent.
        JniUtils.enableTrainingMode(block);
    }

    /**
     * The batch's images on the model's device. DJL takes the staged direct buffer as it is: on a GPU this is the
     * step's one host-to-device copy of the images (DJL 0.36 exposes neither pinned host memory nor non-blocking
     * copies, so it is a synchronous copy from pageable memory).
     */
    private static NDArray input(NDManager scope, Batch batch, boolean channelsLast) {
        int s = batch.imageSize();
        NDArray nchw = scope.create(batch.pixels(), new Shape(batch.size(), 3, s, s), DataType.FLOAT32);
        if (!channelsLast) {
            return nchw;
        }
        // torch's x.contiguous(memory_format=torch.channels_last), which DJL does not expose: flattening the NHWC view
        // copies it into NHWC order, and viewing that back as NCHW keeps NHWC strides, which the convolutions follow
        return nchw.transpose(0, 2, 3, 1)
                .flatten()
                .reshape(batch.size(), s, s, 3)
                .transpose(0, 3, 1, 2);
    }

    /** Mean softmax cross-entropy over the batch, like nn.CrossEntropyLoss(). */
    private static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1)).toType(DataType.FLOAT32, false);
        return logProbabilities.mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /** The number of correct predictions, still on the device. */
    private static NDArray hits(NDArray logits, NDArray labels) {
        return logits.argMax(1).eq(labels).sum().toType(DataType.INT64, false);
    }

    private void applyUpdates() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // like torch.no_grad() around optimizer.step()
        try {
            // fp16: gradients of a scaled loss, divided back; a step with an overflow is skipped like GradScaler does
            boolean step = lossScale == null
                    || lossScale.unscale(
                            trainable.stream().map(Parameter::getArray).toList());
            if (step) {
                optimizer.step(); // zeroes the gradients after the update
            } else {
                optimizer.zeroGradients();
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public void close() {
        try {
            if (optimizer != null) {
                optimizer.close();
            }
        } finally {
            model.close();
        }
    }
}
