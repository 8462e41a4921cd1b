package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.tlab.contracts.Precision;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test accuracy of a saved TorchScript model (a kept fine-tuned model, a checkpoint) with the engine's own evaluation
 * transforms: the check that a model someone downloaded is the one that produced the reported number. It computes in
 * float32 (a model trained in bf16 holds float32 weights; its own run's accuracy was measured in bf16).
 */
public final class ModelEvaluator {
    private ModelEvaluator() {}

    public static double accuracy(Path modelFile, CifarRecords test, int imageSize, int batchSize, Device device)
            throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (LoadedModel model = ModelLoader.loadFile(modelFile, device);
                NDManager manager = model.model().getNDManager().newSubManager();
                BatchPipeline batches =
                        BatchPipeline.evaluation(test, batchSize, new ImageTransforms(imageSize), workers, 4)) {
            ParameterStore store = new ParameterStore(manager, false);
            long correct = 0;
            while (batches.hasNext()) {
                try (NDManager scope = manager.newSubManager()) {
                    correct += FineTuningSession.evaluate(
                            model.block(), store, scope, batches.next(), Precision.FP32, false);
                }
            }
            return test.size() == 0 ? 0 : (double) correct / test.size();
        } finally {
            workers.shutdownNow();
        }
    }
}
