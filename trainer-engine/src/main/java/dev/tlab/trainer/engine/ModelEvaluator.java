package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.BatchPipeline;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test accuracy of a saved TorchScript model (a kept fine-tuned model, a checkpoint) with the engine's own evaluation
 * transforms: the check that a model someone downloaded is the one that produced the reported number.
 */
public final class ModelEvaluator {
    private ModelEvaluator() {
    }

    public static double accuracy(Path modelFile, CifarRecords test, int imageSize, int batchSize, Device device)
            throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (LoadedModel model = ModelLoader.loadFile(modelFile, device);
             NDManager manager = model.model().getNDManager().newSubManager();
             BatchPipeline batches = BatchPipeline.evaluation(test, batchSize, new ImageTransforms(imageSize), workers, 4)) {
            ParameterStore store = new ParameterStore(manager, false);
            long correct = 0;
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                JniUtils.enableInferenceMode(model.block());
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    try (NDManager scope = manager.newSubManager()) {
                        var input = scope.create(batch.pixels(), new Shape(batch.size(), 3, imageSize, imageSize),
                                DataType.FLOAT32);
                        var logits = model.block().forward(store, new NDList(input), false).singletonOrThrow();
                        correct += logits.argMax(1).eq(scope.create(batch.labels())).sum()
                                .toType(DataType.INT64, false).getLong();
                    }
                }
            } finally {
                JniUtils.setGradMode(grad);
            }
            return test.size() == 0 ? 0 : (double) correct / test.size();
        } finally {
            workers.shutdownNow();
        }
    }
}
