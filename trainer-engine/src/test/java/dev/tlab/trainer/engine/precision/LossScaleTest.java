package dev.tlab.trainer.engine.precision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** GradScaler's rules on real autograd gradients: exact unscaling, an overflow skips the step and halves the scale. */
class LossScaleTest {

    @Test
    void gradientsOfTheScaledLossComeBackExactlyAndTheScaleGrowsAfterTheInterval() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(new float[] {1.5f, -2f, 0.25f});
            w.setRequiresGradient(true);
            LossScale scale = new LossScale();
            backward(() -> scale.scale(w.square().sum()));
            assertTrue(scale.unscale(List.of(w)));
            assertArrayEquals(
                    new float[] {3f, -4f, 0.5f}, w.getGradient().toFloatArray(), "d(sum w^2)/dw = 2w, unscaled");
            assertEquals(LossScale.INITIAL, scale.value());
            for (int i = 1; i < LossScale.GROWTH_INTERVAL; i++) {
                assertTrue(scale.unscale(List.of(w)));
            }
            assertEquals(LossScale.INITIAL * LossScale.GROWTH_FACTOR, scale.value());
        }
    }

    @Test
    void anOverflowSkipsTheStepAndHalvesTheScale() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(new float[] {1f, 2f});
            w.setRequiresGradient(true);
            LossScale scale = new LossScale();
            // 65536 * 1e35 overflows float32: the gradient is infinite
            backward(() -> scale.scale(w.mul(1e35f).sum()));
            assertFalse(scale.unscale(List.of(w)));
            assertEquals(LossScale.INITIAL * LossScale.BACKOFF_FACTOR, scale.value());
            assertEquals(1, scale.skippedSteps());
        }
    }

    /** The loss is built inside the collector, which is what turns autograd recording on. */
    private static void backward(Supplier<NDArray> loss) {
        try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
            c.backward(loss.get());
        }
    }
}
