package dev.tlab.trainer.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with exactly {@code torch.optim.AdamW}'s update (amsgrad off, no maximize), per parameter:
 *
 * <pre>
 *   t += 1
 *   p *= 1 - lr * wd                          (decoupled weight decay)
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>It runs as {@code torch.optim.AdamW(fused=True)} does: libtorch's {@code _fused_adamw_} kernel, one pass over each
 * parameter that reads p, g, m and v and writes p, m and v, with no temporary tensor. The kernel is called from a small
 * TorchScript module shipped with the engine ({@code /optim/fused-adamw.pt}, made by
 * {@code trainer-service/scripts/export_fused_adamw.py}), once per learning-rate group and step, through DJL's
 * {@code IValueUtils.runMethod}:
 *
 * <ul>
 *   <li>The learning rate, betas, eps and weight decay travel as doubles ({@code c10::Scalar}s, kernel arguments on a
 *       GPU), made once per group and reused: no number becomes a tensor while training, so nothing is copied from the
 *       host to the device for them. (DJL's {@code NDArray.mul(Number)} and the like create a tensor from the number
 *       and copy it to the device, a blocking copy on CUDA: the unfused update made about eight per parameter tensor
 *       per step.)
 *   <li>The step counts live on the device (one float32 scalar per parameter, as PyTorch's fused {@code state_steps})
 *       and are incremented there; the bias corrections are computed from them inside the kernel.
 *   <li>The parameter, moment and step lists are built once and reused; only the gradients are looked up per step (a
 *       handle each, no copy), so a gradient PyTorch's autograd replaced is never missed.
 * </ul>
 *
 * <p>Why not DJL's {@code Optimizer.adamW()}: DJL 0.36 folds the bias correction into the learning rate ({@code lr *
 * sqrt(1-beta2^t) / (1-beta1^t) * m / (sqrt(v) + eps)}), which puts eps on a different scale than PyTorch (the first
 * steps differ wherever |g| is small), takes a single step count shared by all parameters, defaults to weight decay
 * 0.01, keeps its moments in private fields, so they cannot be checkpointed, and allocates seven temporaries per
 * parameter in its native update. This class keeps m, v and t per parameter and exports them.
 *
 * <p>The fused kernel computes the same formula as PyTorch's single-tensor loop in one pass; results agree with
 * {@code torch.optim.AdamW} (torch 1.13's default loop, the parity fixture) to float rounding
 * ({@code PyTorchParityTest}). Gradients are zeroed in place after the update, as {@code zero_grad(set_to_none=False)}.
 */
public final class PyTorchAdamW implements AutoCloseable {

    /** The TorchScript module with the {@code step} and {@code zero_grad} methods. */
    static final String SCRIPT = "/optim/fused-adamw.pt";

    /**
     * What the optimizer handed to the device in one call of {@link #step()}: the seam that shows its scalars do not
     * grow with the number of parameter tensors.
     *
     * @param fusedCalls calls of the fused kernel (one per learning-rate group with gradients)
     * @param scalarArguments numbers passed by value (kernel arguments, never copied as tensors)
     * @param scalarTensors tensors made from host numbers during the step (each a host-to-device copy on a GPU)
     */
    public record StepTrace(int fusedCalls, int scalarArguments, int scalarTensors) {}

    private final PtNDManager manager;
    private final PtSymbolBlock fused;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private int scalarTensors;
    private StepTrace lastStep = new StepTrace(0, 0, 0);

    private PyTorchAdamW(Builder b) {
        if (b.weights.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one parameter to train");
        }
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
        this.manager = (PtNDManager) b.weights.values().iterator().next().getManager();
        Map<Double, Group> byRate = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : b.weights.entrySet()) {
            Double rate = b.learningRates.get(e.getKey());
            if (rate == null) {
                throw new IllegalArgumentException("no learning rate for parameter " + e.getKey());
            }
            Slot slot = new Slot(e.getKey(), (PtNDArray) e.getValue());
            slots.put(slot.name, slot);
            byRate.computeIfAbsent(rate, Group::new).slots.add(slot);
        }
        groups.addAll(byRate.values());
        this.fused = load(manager);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static PtSymbolBlock load(PtNDManager manager) {
        try (InputStream in = PyTorchAdamW.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the fused AdamW module " + SCRIPT + " is missing from this build");
            }
            return JniUtils.loadModule(manager, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fused AdamW module " + SCRIPT, e);
        }
    }

    /**
     * One AdamW step of every parameter that has a gradient, then its gradient zeroed. Runs under libtorch's inference
     * mode (DJL runs module methods that way), like {@code optimizer.step()} under {@code torch.no_grad()}.
     */
    public void step() {
        int before = scalarTensors;
        int calls = 0;
        int scalars = 0;
        for (Group group : groups) {
            List<PtNDArray> gradients = new ArrayList<>(group.slots.size());
            try {
                boolean complete = true;
                for (Slot slot : group.slots) {
                    PtNDArray g = JniUtils.getGradient(slot.weight);
                    gradients.add(g);
                    complete &= g != null;
                }
                if (gradients.stream().allMatch(g -> g == null)) {
                    continue;
                }
                scalars += group.run(fused, gradients, complete, this);
                calls++;
            } finally {
                gradients.forEach(g -> {
                    if (g != null) {
                        g.close();
                    }
                });
            }
        }
        lastStep = new StepTrace(calls, scalars, scalarTensors - before);
    }

    /** Zeroes every gradient in place without updating (a float16 step skipped for an overflow). */
    public void zeroGradients() {
        for (Group group : groups) {
            List<PtNDArray> gradients = new ArrayList<>();
            try {
                for (Slot slot : group.slots) {
                    PtNDArray g = JniUtils.getGradient(slot.weight);
                    if (g != null) {
                        gradients.add(g);
                    }
                }
                if (!gradients.isEmpty()) {
                    try (IValue list = IValue.listFrom(gradients.toArray(PtNDArray[]::new));
                            IValue ignored = IValueUtils.runMethod(fused, "zero_grad", list)) {
                        // zeroed in place
                    }
                }
            } finally {
                gradients.forEach(PtNDArray::close);
            }
        }
    }

    /** What the last {@link #step()} handed to the device (for tests and diagnostics). */
    public StepTrace lastStep() {
        return lastStep;
    }

    /**
     * Exports m, v and t under the parameters' names (names survive a model reload; DJL's ids do not). Parameters never
     * updated are left out, as PyTorch's state has no entry for them. Reads the step counts back from the device: a
     * checkpoint's cost, never a step's.
     */
    public NDList exportState() {
        NDList out = new NDList();
        for (Slot s : slots.values()) {
            long step = s.steps();
            if (step == 0) {
                continue;
            }
            NDArray m = s.mean.duplicate();
            m.setName("m:" + s.name);
            NDArray v = s.variance.duplicate();
            v.setName("v:" + s.name);
            NDArray t = manager.create(new long[] {step});
            t.setName("t:" + s.name);
            out.add(m);
            out.add(v);
            out.add(t);
        }
        return out;
    }

    /** Restores state exported by {@link #exportState}; arrays are copied onto this optimizer's device. */
    public void importState(NDList saved) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : saved) {
            byName.put(a.getName(), a);
        }
        for (Slot s : slots.values()) {
            NDArray m = byName.get("m:" + s.name);
            NDArray v = byName.get("v:" + s.name);
            NDArray t = byName.get("t:" + s.name);
            if (m == null || v == null || t == null) {
                continue; // never updated before the checkpoint
            }
            s.replace(ownedCopy(m), ownedCopy(v), stepTensor(t.toLongArray()[0]));
        }
        groups.forEach(Group::forgetLists);
    }

    /** Number of updates applied to this parameter so far (PyTorch's {@code state['step']}); 0 for unknown names. */
    public int stepCount(String name) {
        Slot s = slots.get(name);
        return s == null ? 0 : (int) s.steps();
    }

    /**
     * A copy that owns its memory, on this optimizer's manager. Arrays decoded from a stream can borrow the decoder's
     * buffer (zero-copy), and {@code toDevice} to the same device returns the same storage: keeping either past the
     * decoder's manager used freed memory some epochs later and crashed the JVM.
     */
    private PtNDArray ownedCopy(NDArray saved) {
        NDArray owned = saved.toDevice(manager.getDevice(), false).duplicate();
        owned.attach(manager);
        return (PtNDArray) owned;
    }

    /** A step count on the device, from a host number: only when state is restored, never during a step. */
    private PtNDArray stepTensor(long value) {
        scalarTensors++;
        return (PtNDArray) manager.create((float) value);
    }

    @Override
    public void close() {
        groups.forEach(Group::close);
        slots.values().forEach(Slot::close);
        fused.close();
    }

    /** One trainable parameter and its state, all on the parameter's device. */
    private static final class Slot {
        final String name;
        final PtNDArray weight;
        PtNDArray mean;
        PtNDArray variance;
        PtNDArray step;

        Slot(String name, PtNDArray weight) {
            this.name = name;
            this.weight = weight;
            this.mean = (PtNDArray) weight.zerosLike();
            this.variance = (PtNDArray) weight.zerosLike();
            // float32, as PyTorch's fused state_steps; made by the device (a fill), not copied from the host
            this.step = (PtNDArray) weight.getManager().zeros(new Shape(), DataType.FLOAT32);
        }

        long steps() {
            return (long) step.getFloat();
        }

        void replace(PtNDArray newMean, PtNDArray newVariance, PtNDArray newStep) {
            close();
            mean = newMean;
            variance = newVariance;
            step = newStep;
        }

        void close() {
            mean.close();
            variance.close();
            step.close();
        }
    }

    /** Parameters with one learning rate: one kernel call per step, its lists and scalars made once. */
    private static final class Group {
        final double learningRate;
        final List<Slot> slots = new ArrayList<>();
        private IValue[] state; // params, exp_avgs, exp_avg_sqs, steps
        private IValue[] scalars; // lr, beta1, beta2, weight_decay, eps

        Group(double learningRate) {
            this.learningRate = learningRate;
        }

        /** Runs the fused step on the group; returns the number of scalars passed by value. */
        int run(PtSymbolBlock fused, List<PtNDArray> gradients, boolean complete, PyTorchAdamW optimizer) {
            if (scalars == null) {
                scalars = new IValue[] {
                    IValue.from(learningRate),
                    IValue.from(optimizer.beta1),
                    IValue.from(optimizer.beta2),
                    IValue.from(optimizer.weightDecay),
                    IValue.from(optimizer.epsilon)
                };
            }
            // a parameter without a gradient is skipped, as PyTorch skips p.grad is None: lists for this step only
            IValue[] lists = complete ? cachedState() : stateOf(withGradients(gradients));
            try (IValue grads =
                    IValue.listFrom(gradients.stream().filter(g -> g != null).toArray(PtNDArray[]::new))) {
                IValue[] arguments = new IValue[] {
                    lists[0],
                    grads,
                    lists[1],
                    lists[2],
                    lists[3],
                    scalars[0],
                    scalars[1],
                    scalars[2],
                    scalars[3],
                    scalars[4]
                };
                try (IValue ignored = IValueUtils.runMethod(fused, "step", arguments)) {
                    return scalars.length;
                }
            } finally {
                if (!complete) {
                    closeAll(lists);
                }
            }
        }

        private List<Slot> withGradients(List<PtNDArray> gradients) {
            List<Slot> present = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                if (gradients.get(i) != null) {
                    present.add(slots.get(i));
                }
            }
            return present;
        }

        private IValue[] cachedState() {
            if (state == null) {
                state = stateOf(slots);
            }
            return state;
        }

        private static IValue[] stateOf(List<Slot> slots) {
            return new IValue[] {
                IValue.listFrom(slots.stream().map(s -> s.weight).toArray(PtNDArray[]::new)),
                IValue.listFrom(slots.stream().map(s -> s.mean).toArray(PtNDArray[]::new)),
                IValue.listFrom(slots.stream().map(s -> s.variance).toArray(PtNDArray[]::new)),
                IValue.listFrom(slots.stream().map(s -> s.step).toArray(PtNDArray[]::new))
            };
        }

        /** The state was replaced (restored from a checkpoint): the lists are made again at the next step. */
        void forgetLists() {
            if (state != null) {
                closeAll(state);
                state = null;
            }
        }

        void close() {
            forgetLists();
            if (scalars != null) {
                closeAll(scalars);
                scalars = null;
            }
        }

        private static void closeAll(IValue[] values) {
            for (IValue v : values) {
                v.close();
            }
        }
    }

    /** Defaults are torch.optim.AdamW's except weight decay, which is the study's 1e-4. */
    public static final class Builder {
        private final Map<String, NDArray> weights = new LinkedHashMap<>();
        private final Map<String, Double> learningRates = new HashMap<>();
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 1e-4;

        /** A parameter to train, by its stable name, with its learning rate (as in one of PyTorch's param groups). */
        public Builder parameter(String name, NDArray weight, double learningRate) {
            weights.put(name, weight);
            learningRates.put(name, learningRate);
            return this;
        }

        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public PyTorchAdamW build() {
            return new PyTorchAdamW(this);
        }
    }
}
