package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Same initial weights, same batch: two steps of this engine agree with torch.optim.AdamW and nn.CrossEntropyLoss in
 * train mode (reference from scripts/make_parity_fixture.py, torch 1.13), for the 'freeze' strategy. The eval-mode
 * logits afterwards also compare the BatchNorm running statistics.
 */
class PyTorchParityTest {

    @Test
    void twoStepsMatchPyTorch() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                InputStream in = getClass().getResourceAsStream("/parity/narrow-freeze-2steps.npz");
                FineTuningSession s = new FineTuningSession(
                        ModelLoader.loadFile(TestData.narrowModel(), Device.cpu()),
                        StrategySpec.named("freeze"),
                        HyperParameters.notebook().withImageSize(32))) {
            NDList ref = NDList.decode(manager, in);
            NDArray x = ref.get("input");
            Batch batch = new Batch(x.toFloatArray(), ref.get("labels").toLongArray(), 32);
            float[] losses = ref.get("losses").toFloatArray();

            for (int step = 0; step < 2; step++) {
                FineTuningSession.StepResult r = s.trainStep(batch);
                assertEquals(losses[step], r.lossSum() / r.samples(), 1e-5, "loss of step " + (step + 1));
            }
            for (String name : new String[] {"conv1.weight", "bn1.weight", "fc.weight", "fc.bias"}) {
                assertClose(ref.get("param:" + name).toFloatArray(), s.parameterValues(name), 5e-7, name);
            }
            assertClose(ref.get("eval_logits").toFloatArray(), s.evalLogits(batch), 2e-5, "eval logits");
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertEquals(0, worst, tolerance, what + ": largest difference");
    }
}
