package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPlan;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One optimizer step on the narrow ResNet-18 (same parameter names as the real one). */
class FineTuningSessionTest {

    private static final int SIZE = 32;

    private static FineTuningSession session(StrategySpec strategy) {
        return new FineTuningSession(
                ModelLoader.loadFile(TestData.narrowModel(), Device.cpu()),
                strategy,
                HyperParameters.notebook().withImageSize(SIZE));
    }

    private static Batch trainBatch(int n, long seed) {
        return TestData.batch(n, seed, SIZE, true);
    }

    private static Batch testBatch(int n, long seed) {
        return TestData.batch(n, seed, SIZE, false);
    }

    @Test
    void firstAdamWStepMovesTrainableByTheirLearningRateAndLeavesFrozenBitIdentical() {
        try (FineTuningSession s = session(StrategySpec.named("partial"))) {
            String head = "fc.weight";
            // A 1x1 convolution: at 32 px layer4 sees 2x2 maps, so most 3x3 taps there only see padding
            // and get no gradient (Adam then moves them by the decay term alone).
            String backbone = "layer4.0.downsample.0.weight";
            String frozen = "layer1.0.conv1.weight";
            String stem = "conv1.weight";
            float[] head0 = s.parameterValues(head);
            float[] backbone0 = s.parameterValues(backbone);
            float[] frozen0 = s.parameterValues(frozen);
            float[] stem0 = s.parameterValues(stem);

            FineTuningSession.StepResult r = s.trainStep(trainBatch(32, 3));
            assertEquals(32, r.samples());
            assertTrue(r.lossSum() > 0 && Double.isFinite(r.lossSum()));

            assertArrayEquals(frozen0, s.parameterValues(frozen), "frozen tensors must not change at all");
            assertArrayEquals(stem0, s.parameterValues(stem), "partial freezes the stem too");
            // Adam's first step is lr * g / (|g| + eps) ~ lr * sign(g), plus decoupled decay lr * wd * w.
            assertStep(head0, s.parameterValues(head), 1e-3);
            assertStep(backbone0, s.parameterValues(backbone), 1e-4);
            assertEquals(1, s.optimizerSteps(head));
            assertEquals(0, s.optimizerSteps(frozen));
        }
    }

    private static void assertStep(float[] before, float[] after, double lr) {
        double[] delta = new double[before.length];
        double maxDecay = 0;
        for (int i = 0; i < before.length; i++) {
            delta[i] = Math.abs((double) after[i] - before[i]);
            maxDecay = Math.max(maxDecay, lr * 1e-4 * Math.abs(before[i]));
        }
        double[] sorted = delta.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        assertEquals(lr, median, lr * 0.02, "median |update| should be the learning rate");
        assertTrue(
                sorted[sorted.length - 1] <= lr * 1.001 + maxDecay + 1e-7,
                "no update exceeds lr (+ weight decay): " + sorted[sorted.length - 1]);
    }

    /**
     * BatchNorm buffers are not DJL parameters, so they are observed through eval-mode outputs: with every parameter
     * frozen, only running statistics can change those outputs.
     */
    @Test
    void batchNormRunningStatsUpdateInTrainingModeOnlyEvenWhenFrozen() {
        try (FineTuningSession s = session(new StrategySpec("nothing", List.of("no-such-parameter")))) {
            assertEquals(0, s.plan().trainableParameters());
            Batch probe = testBatch(8, 11);
            float[] conv0 = s.parameterValues("layer2.0.conv1.weight");
            float[] before = s.evalLogits(probe);

            float[] again = s.evalLogits(probe);
            assertArrayEquals(before, again, "evaluation must not touch running statistics");

            s.trainStep(trainBatch(16, 5));
            float[] after = s.evalLogits(probe);
            assertArrayEquals(conv0, s.parameterValues("layer2.0.conv1.weight"));
            assertFalse(Arrays.equals(before, after), "a training-mode forward must update running statistics");

            assertArrayEquals(after, s.evalLogits(probe), "and evaluation again leaves them alone");
        }
    }

    @Test
    void trainingSeveralStepsLowersTheLoss() {
        try (FineTuningSession s = session(StrategySpec.named("full"))) {
            Batch b = trainBatch(40, 9);
            double first = s.trainStep(b).lossSum();
            double last = first;
            for (int i = 0; i < 8; i++) {
                last = s.trainStep(b).lossSum();
            }
            assertTrue(last < first, "loss " + first + " -> " + last);
            assertEquals(9, s.optimizerSteps("layer1.0.conv1.weight"));
            assertTrue(BatchPlan.batchCount(40, 64) == 1);
        }
    }
}
