package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.SyntheticImages;
import dev.tlab.trainer.engine.checkpoint.Checkpoint;
import dev.tlab.trainer.engine.data.DecodedImageCache;
import dev.tlab.trainer.engine.data.ImageFiles;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ClassifierHead;
import dev.tlab.trainer.engine.model.LoadedModel;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.model.ModelFileResolver;
import dev.tlab.trainer.engine.model.ModelLoader;
import dev.tlab.trainer.engine.model.ModelSource;
import dev.tlab.trainer.engine.model.ModelUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier of N outputs for a dataset of N classes, N >= 2: parameter names and counts, nn.Linear's initialisation
 * from the job's seed, the backbone untouched, checkpoints that record N, and training on the user's own image files.
 */
class AnyClassCountTest {

    @TempDir
    Path dir;

    private ModelLoader loader(Path modelFolder) {
        return new ModelLoader(
                ModelFileResolver.withDjlOfflineMode(dir.resolve("cache"), ModelAccess.folders(modelFolder)));
    }

    private static ModelSource narrow() {
        return ModelSource.of(TestData.narrowModel().toString());
    }

    @Test
    void aHeadOfThreeOutputsKeepsTheNamesAndTheBackbone() {
        ModelLoader loader = loader(TestData.narrowModel().getParent());
        try (LoadedModel original = loader.load(narrow(), Device.cpu());
                LoadedModel three = loader.load(narrow(), Device.cpu(), 5, 3);
                LoadedModel again = loader.load(narrow(), Device.cpu(), 5, 3);
                LoadedModel otherSeed = loader.load(narrow(), Device.cpu(), 6, 3)) {
            assertEquals(
                    List.copyOf(original.parameters().keySet()),
                    List.copyOf(three.parameters().keySet()));
            assertEquals(10, ClassifierHead.outputs(original));
            assertEquals(3, ClassifierHead.outputs(three));
            assertArrayEquals(
                    new long[] {3, 64},
                    three.parameters().get("fc.weight").getArray().getShape().getShape());
            for (String name : original.parameters().keySet()) {
                if (!name.startsWith("fc.")) {
                    assertArrayEquals(
                            original.parameters().get(name).getArray().toFloatArray(),
                            three.parameters().get(name).getArray().toFloatArray(),
                            name);
                }
            }
            // nn.Linear(64, 3)'s default: weight and bias uniform in +-1/sqrt(64), here drawn from the job's seed
            float[] weight = three.parameters().get("fc.weight").getArray().toFloatArray();
            float[] bias = three.parameters().get("fc.bias").getArray().toFloatArray();
            for (float v : concat(weight, bias)) {
                assertTrue(Math.abs(v) <= 1 / 8.0, "value " + v);
            }
            assertTrue(spread(weight) > 0.1, "not all zero: the new head is initialised");
            assertArrayEquals(
                    weight, again.parameters().get("fc.weight").getArray().toFloatArray());
            assertFalse(java.util.Arrays.equals(
                    weight, otherSeed.parameters().get("fc.weight").getArray().toFloatArray()));
            // the model computes three logits an image
            try (FineTuningSession session = new FineTuningSession(
                    loader.load(narrow(), Device.cpu(), 5, 3),
                    StrategySpec.named("full"),
                    HyperParameters.notebook().withImageSize(32))) {
                assertEquals(4 * 3, session.evalLogits(TestData.batch(4, 1, 32, false)).length);
            }
        }
    }

    /** freeze trains conv1 (9,408), bn1 (128) and fc (512 N + N): 9,536 + 513 N; 14,666 at the notebook's 10. */
    @Test
    void theFullSizeModelCountsForAnyClassCount() {
        TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(dir.resolve("ckpt"), dir.resolve("cache"))
                .withModelAccess(ModelAccess.folders(TestData.fullModel().getParent())));
        ModelSource full = ModelSource.of(TestData.fullModel().toString());
        List<StrategySpec> strategies =
                List.of(StrategySpec.named("freeze"), StrategySpec.named("partial"), StrategySpec.named("full"));
        for (int n : new int[] {2, 3, 10, 37}) {
            List<ParameterPlan> plans = engine.plan(full, strategies, HyperParameters.notebook(), n);
            long total = 11_181_642L - 5_130 + 513L * n;
            assertEquals(9_536 + 513L * n, plans.get(0).trainableParameters(), "freeze, N=" + n);
            assertEquals(8_393_728 + 513L * n, plans.get(1).trainableParameters(), "partial, N=" + n);
            assertEquals(total, plans.get(2).trainableParameters(), "full, N=" + n);
            plans.forEach(p -> assertEquals(total, p.totalParameters()));
        }
        assertEquals(
                14_666,
                engine.plan(full, strategies, HyperParameters.notebook(), 10)
                        .get(0)
                        .trainableParameters());
    }

    @Test
    void aModelThatCannotResizeItsHeadIsRefusedNamingTheClassCount() throws Exception {
        Path fixed = Path.of(getClass().getResource("/models/fixed-head.pt").toURI());
        ModelLoader loader = loader(fixed.getParent());
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> loader.load(ModelSource.of(fixed.toString()), Device.cpu(), 0, 3));
        assertEquals("numClasses", e.field());
        assertTrue(e.getMessage().contains("has 10 outputs") && e.getMessage().contains("--classes 3"), e.getMessage());
        try (LoadedModel ten = loader.load(ModelSource.of(fixed.toString()), Device.cpu(), 0, 10)) {
            assertEquals(10, ClassifierHead.outputs(ten), "its own size needs no change");
        }
    }

    @Test
    void threeClassesOfImagesOfUnequalSizesTrainCheckpointAndRefuseAnotherClassCount() {
        Map<String, byte[]> files = new HashMap<>();
        List<ImageFiles.Entry> train = new ArrayList<>();
        List<ImageFiles.Entry> test = new ArrayList<>();
        int[][] sizes = {{40, 30}, {23, 57}, {64, 64}, {50, 33}};
        for (int label = 0; label < 3; label++) {
            for (int i = 0; i < 6; i++) {
                int[] size = sizes[(label + i) % sizes.length];
                byte[] jpeg = SyntheticImages.jpeg(SyntheticImages.photo(size[0], size[1], 31L * label + i), 0.9f);
                String sha = Checksums.sha256Hex(jpeg);
                files.put(sha, jpeg);
                (i < 4 ? train : test).add(new ImageFiles.Entry(sha, "c" + label + "/" + i + ".jpg", label));
            }
        }
        AtomicInteger reads = new AtomicInteger();
        DecodedImageCache cache = new DecodedImageCache(64L << 20);
        ImageFiles trainImages = new ImageFiles(
                train,
                3,
                sha -> {
                    reads.incrementAndGet();
                    return files.get(sha);
                },
                cache);
        ImageFiles testImages = new ImageFiles(test, 3, files::get, cache);
        TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(dir.resolve("ckpt"), dir.resolve("cache"))
                .withDataThreads(2, new PrefetchBudget(64L << 20, 2))
                .withModelAccess(ModelAccess.folders(TestData.narrowModel().getParent())));
        TrainingJob job = TestData.job(
                "three-classes",
                TestData.narrowModel().toString(),
                StrategySpec.named("freeze"),
                HyperParameters.notebook().withImageSize(32).withEpochs(2));
        long[] totals = new long[2];
        TrainingResult result = engine.train(
                job,
                trainImages,
                testImages,
                new TrainingListener() {
                    @Override
                    public void onStart(JobStart start) {
                        totals[0] = start.totalParameters();
                        totals[1] = start.trainableParameters();
                    }
                },
                () -> false);
        long narrowTotal = 177_362;
        assertEquals(narrowTotal - 650 + 195, totals[0], "fc of 64 x 3 + 3 instead of 64 x 10 + 10");
        assertEquals(totals[1], result.trainableParameters());
        assertEquals(6, result.testSamples());
        assertEquals(12, reads.get(), "each training image decoded once; epoch 2 came from the cache");
        assertEquals(18, cache.size());

        Checkpoint last = engine.checkpoints().latest(job.jobId().toString()).orElseThrow();
        assertEquals(2, last.completedEpoch());
        assertEquals(3, last.classes());
        try (LoadedModel kept = ModelLoader.loadFile(last.modelFile(), Device.cpu())) {
            assertEquals(3, ClassifierHead.outputs(kept), "the kept model is the 3-class TorchScript module");
        }
        ImageFiles fourClasses = new ImageFiles(train, 4, files::get, DecodedImageCache.none());
        ResumeRefusedException refused = assertThrows(
                ResumeRefusedException.class,
                () -> engine.train(job, fourClasses, testImages, new TrainingListener() {}, () -> false));
        assertTrue(refused.getMessage().contains("3 outputs")
                && refused.getMessage().contains("4 classes"));
        assertTrue(Files.isDirectory(last.folder()), "the refused checkpoint is kept");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double spread(float[] values) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
