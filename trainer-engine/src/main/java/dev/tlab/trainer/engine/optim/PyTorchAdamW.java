package dev.tlab.trainer.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.HashMap;
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
 * <p>Why not DJL's {@code Optimizer.adamW()}: DJL 0.36 folds the bias correction into the learning rate ({@code lr *
 * sqrt(1-beta2^t) / (1-beta1^t) * m / (sqrt(v) + eps)}), which puts eps on a different scale than PyTorch (the first
 * steps differ wherever |g| is small), takes a single step count shared by all parameters, defaults to weight decay
 * 0.01, and keeps its moments in private fields, so they cannot be checkpointed. This class keeps m, v and t per
 * parameter and exports them.
 *
 * <p>State is keyed by the id passed to {@link #update}; the learning rate comes from the tracker with the same id
 * (e.g. a {@code FixedPerVarTracker} keyed on {@code Parameter.getId()}).
 */
public final class PyTorchAdamW extends Optimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, Moments> state = new HashMap<>();

    private PyTorchAdamW(Builder b) {
        super(b);
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Updates {@code weight} in place from {@code grad}. Must run with autograd recording off, as
     * {@code optimizer.step()} does under {@code torch.no_grad()}.
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Moments s = state.computeIfAbsent(parameterId, k -> Moments.zerosLike(weight));
        s.step++;
        double lr = learningRate.getNewValue(parameterId, s.step);
        double bc1 = 1 - Math.pow(beta1, s.step);
        double bc2 = 1 - Math.pow(beta2, s.step);
        if (weightDecay != 0) {
            weight.muli((float) (1 - lr * weightDecay));
        }
        try (NDArray g1 = grad.mul(1 - beta1)) {
            s.mean.muli(beta1).addi(g1);
        }
        try (NDArray g2 = grad.square()) {
            g2.muli(1 - beta2);
            s.variance.muli(beta2).addi(g2);
        }
        try (NDArray denom = s.variance.sqrt()) {
            denom.divi((float) Math.sqrt(bc2)).addi(epsilon);
            try (NDArray step = s.mean.div(denom)) {
                step.muli((float) (lr / bc1));
                weight.subi(step);
            }
        }
    }

    /** Exports m, v and t under the given stable names (parameter names survive a model reload; ids do not). */
    public NDList exportState(Map<String, String> idToName) {
        NDList out = new NDList();
        for (Map.Entry<String, Moments> e : state.entrySet()) {
            String name = idToName.get(e.getKey());
            if (name == null) {
                continue;
            }
            Moments s = e.getValue();
            NDArray m = s.mean.duplicate();
            m.setName("m:" + name);
            NDArray v = s.variance.duplicate();
            v.setName("v:" + name);
            NDArray t = s.mean.getManager().create(new long[] {s.step});
            t.setName("t:" + name);
            out.add(m);
            out.add(v);
            out.add(t);
        }
        return out;
    }

    /**
     * Restores state exported by {@link #exportState}. Arrays are copied onto {@code manager}'s device.
     *
     * @param nameToId parameter name to the id used by {@link #update} in this process
     */
    public void importState(NDList saved, Map<String, String> nameToId, NDManager manager) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : saved) {
            byName.put(a.getName(), a);
        }
        for (Map.Entry<String, String> e : nameToId.entrySet()) {
            NDArray m = byName.get("m:" + e.getKey());
            NDArray v = byName.get("v:" + e.getKey());
            NDArray t = byName.get("t:" + e.getKey());
            if (m == null || v == null || t == null) {
                continue; // parameter never updated before the checkpoint
            }
            Moments s = new Moments(ownedCopy(m, manager), ownedCopy(v, manager));
            s.step = (int) t.toLongArray()[0];
            state.put(e.getValue(), s);
        }
    }

    /**
     * A copy that owns its memory, on {@code manager}. Arrays decoded from a stream can borrow the decoder's buffer
     * (zero-copy), and {@code toDevice} to the same device returns the same storage: keeping either past the decoder's
     * manager used freed memory some epochs later and crashed the JVM.
     */
    private static NDArray ownedCopy(NDArray saved, NDManager manager) {
        NDArray owned = saved.toDevice(manager.getDevice(), false).duplicate();
        owned.attach(manager);
        return owned;
    }

    /** Number of updates applied to this parameter so far (PyTorch's {@code state['step']}). */
    public int stepCount(String parameterId) {
        Moments s = state.get(parameterId);
        return s == null ? 0 : s.step;
    }

    private static final class Moments {
        final NDArray mean;
        final NDArray variance;
        int step;

        Moments(NDArray mean, NDArray variance) {
            this.mean = mean;
            this.variance = variance;
        }

        static Moments zerosLike(NDArray weight) {
            return new Moments(weight.zerosLike(), weight.zerosLike());
        }
    }

    /** Defaults are torch.optim.AdamW's except weight decay, which is the study's 1e-4. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = (id, step) -> 1e-3f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private float weightDecay = 1e-4f;

        public Builder learningRate(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder betas(float beta1, float beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder epsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public PyTorchAdamW build() {
            return new PyTorchAdamW(this);
        }
    }
}
