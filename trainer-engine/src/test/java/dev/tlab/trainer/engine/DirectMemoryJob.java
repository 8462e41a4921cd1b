package dev.tlab.trainer.engine;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small real job in a JVM of its own, for {@link PrefetchMemoryTest}: the narrow model at 32 px, 8 data threads and
 * up to 16 batches ahead, with the prefetch budget given as the first argument (0 = derived from this JVM's
 * direct-memory cap, as the trainer does). Prints the test accuracy when the job completes.
 */
public final class DirectMemoryJob {
    private DirectMemoryJob() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("direct-memory-job");
        TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(
                        dir.resolve("checkpoints"), dir.resolve("cache"))
                .withDevice("cpu")
                .withDataThreads(8, PrefetchBudget.of(Long.parseLong(args[0]), 16))
                .withModelAccess(ModelAccess.folders(TestData.narrowModel().getParent())));
        TrainingResult result = engine.train(
                TestData.job(
                        "direct-memory",
                        TestData.narrowModel().toUri().toString(),
                        StrategySpec.named("freeze"),
                        HyperParameters.notebook().withImageSize(32).withEpochs(1)),
                TestData.records(256, 1),
                TestData.records(3072, 2),
                TrainingListener.NONE,
                () -> false);
        System.out.println("accuracy=" + result.testAccuracy());
    }
}
