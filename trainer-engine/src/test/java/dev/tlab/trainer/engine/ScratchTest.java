package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.model.ModelLoader;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void profile() {
        int n = 64, size = Integer.getInteger("psize", 32);
        float[] px = new float[n * 3 * size * size];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < px.length; i++) px[i] = (float) r.nextGaussian();
        Batch b = new Batch(px, new long[n], size);
        for (String strat : new String[] {"freeze", "partial"}) {
            try (FineTuningSession s = new FineTuningSession(ModelLoader.loadFile(TestData.fullModel(), Device.cpu()),
                    StrategySpec.named(strat), HyperParameters.notebook().withImageSize(size))) {
                for (int i = 0; i < 3; i++) s.trainStep(b);
                JniUtils.startProfile(false, true, false);
                for (int i = 0; i < 3; i++) s.trainStep(b);
                JniUtils.stopProfile("/tmp/djl_" + strat + ".json");
            }
        }
    }
}
