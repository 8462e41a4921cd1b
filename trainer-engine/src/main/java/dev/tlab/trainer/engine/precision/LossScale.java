package dev.tlab.trainer.engine.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The dynamic loss scale of float16 training, with {@code torch.amp.GradScaler}'s defaults: the loss is multiplied by
 * the scale before the backward so that small float16 gradients do not flush to zero, the float32 gradients are divided
 * back before the optimizer sees them, and a step whose gradients overflowed is skipped and halves the scale; after
 * 2,000 steps in a row without overflow the scale doubles. Powers of two only, so scaling and unscaling are exact.
 */
public final class LossScale {
    static final double INITIAL = 65536;
    static final double GROWTH_FACTOR = 2;
    static final double BACKOFF_FACTOR = 0.5;
    static final int GROWTH_INTERVAL = 2000;

    private double value = INITIAL;
    private int stepsWithoutOverflow;
    private long skippedSteps;

    /** The loss to run the backward from. */
    public NDArray scale(NDArray loss) {
        return loss.mul((float) value);
    }

    /**
     * Divides every trainable parameter's gradient by the scale, in place, then says whether the step may be taken
     * (every gradient finite) and updates the scale. Run with autograd recording off. One read-back per step.
     */
    public boolean unscale(List<NDArray> weights) {
        boolean finite = weights.isEmpty() || countNonFinite(weights) == 0;
        if (finite) {
            if (++stepsWithoutOverflow == GROWTH_INTERVAL) {
                value *= GROWTH_FACTOR;
                stepsWithoutOverflow = 0;
            }
        } else {
            value *= BACKOFF_FACTOR;
            stepsWithoutOverflow = 0;
            skippedSteps++;
        }
        return finite;
    }

    /**
     * Unscales in place and counts the non-finite values. The gradient handles and every intermediate live in a scope
     * closed here: left on the weights' manager they would pile up, a few per parameter per step, until the model
     * closes.
     */
    private long countNonFinite(List<NDArray> weights) {
        try (NDManager scope = weights.get(0).getManager().newSubManager()) {
            NDArray nonFinite = null;
            for (NDArray weight : weights) {
                NDArray grad = weight.getGradient();
                grad.attach(scope);
                grad.muli((float) (1 / value));
                NDArray bad = grad.isInfinite().logicalOr(grad.isNaN()).countNonzero();
                nonFinite = nonFinite == null ? bad : nonFinite.add(bad);
            }
            return nonFinite.getLong();
        }
    }

    public double value() {
        return value;
    }

    /** Steps skipped because their gradients overflowed. */
    public long skippedSteps() {
        return skippedSteps;
    }
}
