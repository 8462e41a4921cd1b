package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.model.ModelLoader;
import org.junit.jupiter.api.Test;

/**
 * bf16 is autocast (float32 weights, lower-precision compute) and channels-last is the same computation in another
 * memory order: both are checked against the float32, contiguous session on the same weights and batch.
 */
class PrecisionAndMemoryFormatTest {

    private static final int SIZE = 32;

    private static FineTuningSession session(String strategy, Precision precision, boolean channelsLast) {
        return new FineTuningSession(
                ModelLoader.loadFile(TestData.narrowModel(), Device.cpu()),
                StrategySpec.named(strategy),
                HyperParameters.notebook().withImageSize(SIZE).withPrecision(precision),
                channelsLast);
    }

    private static Batch batch(int n, long seed, boolean train) {
        return TestData.batch(n, seed, SIZE, train);
    }

    @Test
    void bf16ComputesInLowerPrecisionButKeepsFloat32WeightsAndTrains() {
        Batch probe = batch(16, 21, false);
        Batch train = batch(32, 4, true);
        try (FineTuningSession exact = session("full", Precision.FP32, false);
                FineTuningSession mixed = session("full", Precision.BF16, false)) {
            float[] exactLogits = exact.evalLogits(probe);
            float[] mixedLogits = mixed.evalLogits(probe);
            assertFalse(java.util.Arrays.equals(exactLogits, mixedLogits), "bf16 must really compute in bf16");
            assertClose(exactLogits, mixedLogits, 0.05, "bf16 logits are float32 logits to bf16's precision");

            double first = mixed.trainStep(train).lossSum();
            assertTrue(Double.isFinite(first));
            assertEquals(
                    DataType.FLOAT32,
                    mixed.model()
                            .parameters()
                            .get("layer1.0.conv1.weight")
                            .getArray()
                            .getDataType(),
                    "master weights stay float32");
            double last = first;
            for (int i = 0; i < 6; i++) {
                last = mixed.trainStep(train).lossSum();
            }
            assertTrue(last < first, "bf16 training lowers the loss: " + first + " -> " + last);
            assertEquals(7, mixed.optimizerSteps("fc.weight"));
        }
    }

    @Test
    void channelsLastIsTheSameComputation() {
        Batch probe = batch(16, 21, false);
        Batch train = batch(32, 4, true);
        try (FineTuningSession contiguous = session("partial", Precision.FP32, false);
                FineTuningSession channelsLast = session("partial", Precision.FP32, true)) {
            assertClose(contiguous.evalLogits(probe), channelsLast.evalLogits(probe), 1e-4, "eval logits");
            double a = contiguous.trainStep(train).lossSum();
            double b = channelsLast.trainStep(train).lossSum();
            assertEquals(a, b, Math.abs(a) * 1e-5, "training loss");
            assertClose(
                    contiguous.parameterValues("layer4.1.conv2.weight"),
                    channelsLast.parameterValues("layer4.1.conv2.weight"),
                    1e-4,
                    "updated weights");
        }
    }

    @Test
    void fp16IsRefusedOnACpuNamingTheField() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> PrecisionSupport.require(Precision.FP16, Device.cpu(), "hyperParameters.precision"));
        assertEquals("hyperParameters.precision", e.field());
        assertTrue(e.reason().contains("GPU"), e.reason());
        PrecisionSupport.require(Precision.BF16, Device.cpu(), "hyperParameters.precision");
        PrecisionSupport.require(Precision.FP16, Device.gpu(), "hyperParameters.precision");
    }

    /** Largest difference relative to the largest magnitude, so one tolerance fits logits and weights. */
    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance * scale, what + ": max difference " + worst + " vs scale " + scale);
    }
}
