package dev.tlab.trainer.engine;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.BuiltInModels;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.model.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/** Test fixtures: synthetic CIFAR-format records, jobs, and the shipped models. */
public final class TestData {

    private static Path fullModel;

    private TestData() {}

    /** Synthetic records, the classes in turn, from the lab's one generator. */
    static CifarRecords records(int count, long seed) {
        return CifarRecords.fromBytes(SyntheticCifar.records(count, seed));
    }

    /**
     * A batch of {@code n} synthetic images at {@code size} px as the pipeline makes them: the training augmentation
     * (seeded per image) or the evaluation transform.
     */
    static Batch batch(int n, long seed, int size, boolean train) {
        CifarRecords data = records(n, seed);
        ImageTransforms t = new ImageTransforms(size);
        float[] pixels = new float[n * t.outputLength()];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            if (train) {
                t.train(data.image(i), new SplittableRandom(seed + i), pixels, i * t.outputLength());
            } else {
                t.test(data.image(i), pixels, i * t.outputLength());
            }
            labels[i] = data.label(i);
        }
        return new Batch(pixels, labels, size);
    }

    /**
     * An engine for tests on this machine: checkpoints and model cache under {@code dir}, two data threads with a small
     * prefetch budget, models from {@code dir} and the bundled test models.
     */
    static TrainingEngine engine(Path dir) {
        return new TrainingEngine(EngineSettings.defaults(dir.resolve("checkpoints"), dir.resolve("cache"))
                .withDevice("auto")
                .withDataThreads(2, new PrefetchBudget(64L << 20, 3))
                .withModelAccess(ModelAccess.folders(dir, narrowModel().getParent())));
    }

    /** A job as the dataset service publishes it; {@code name} stands for its id (and so its checkpoint folder). */
    static TrainingJob job(String name, String modelUri, StrategySpec strategy, HyperParameters hp) {
        UUID experiment = UUID.nameUUIDFromBytes(("experiment of " + name).getBytes(StandardCharsets.UTF_8));
        return new TrainingJob(
                UUID.randomUUID(),
                TrainingJob.TYPE,
                TrainingJob.SCHEMA_VERSION,
                Instant.now(),
                UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)),
                experiment,
                "manifest-" + name,
                "http://127.0.0.1:9/manifests/" + name,
                "synthetic",
                true,
                strategy,
                hp,
                ModelSpec.of(modelUri),
                0L,
                1);
    }

    public static Path narrowModel() {
        try {
            return Paths.get(
                    TestData.class.getResource("/models/resnet18-narrow.pt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full-size constant-weight ResNet-18, shipped gzip-compressed (44 MB raw, 87 KB packed). */
    static synchronized Path fullModel() {
        if (fullModel == null) {
            try {
                Path dir = Files.createTempDirectory("tlab-full-model");
                dir.toFile().deleteOnExit();
                fullModel = BuiltInModels.unpack(ModelSource.BUILT_IN_RESNET18, dir);
                fullModel.getParent().toFile().deleteOnExit();
                fullModel.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fullModel;
    }
}
