package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import dev.tlab.trainer.engine.data.Batch;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.model.ModelAccess;
import dev.tlab.trainer.engine.model.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final evaluation's figures on a real DJL evaluation of the narrow ResNet-18: every image's predicted class and
 * confidence computed by libtorch, the confusion matrix, the calibration bins and the predictions file.
 */
class TestEvaluationTest {
    private static final int SIZE = 32;
    private static final String TEST_DIGEST = "5e".repeat(32);

    @TempDir
    Path dir;

    /** A trained job's evaluation covers the test set: the matrix sums to it, its diagonal is the test accuracy. */
    @Test
    void aJobsEvaluationCoversTheTestSet() {
        CifarRecords train = TestData.records(120, 1);
        CifarRecords test = TestData.records(70, 2);
        TrainingEngine engine = new TrainingEngine(EngineSettings.defaults(
                        dir.resolve("checkpoints"), dir.resolve("cache"))
                .withDevice("cpu")
                .withDataThreads(2, new PrefetchBudget(64L << 20, 3))
                .withModelAccess(ModelAccess.folders(dir, TestData.narrowModel().getParent())));
        TrainingJob job = TestData.job(
                "evaluated",
                TestData.narrowModel().toUri().toString(),
                StrategySpec.named("partial"),
                new HyperParameters(1, 32, 32, null, null, null, null, null, null, SIZE, null, null, null));
        TrainingResult result = engine.train(job, train, test, TrainingListener.NONE, () -> false);

        TestEvaluation evaluation = result.evaluation();
        assertEquals(70, evaluation.images());
        assertEquals(10, evaluation.classCount(), "the narrow model's ten outputs");
        long[][] matrix = evaluation.confusionCounts();
        long sum = 0;
        long diagonal = 0;
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix.length; p++) {
                sum += matrix[t][p];
            }
            diagonal += matrix[t][t];
            assertEquals(7, java.util.Arrays.stream(matrix[t]).sum(), "seven test images of class " + t);
        }
        assertEquals(70, sum, "the matrix sums to the test set");
        assertEquals(result.testAccuracy(), diagonal / 70.0, 1e-15);
        assertEquals(70, evaluation.calibration().total());
        assertTrue(evaluation.seconds() > 0);
        assertEquals(120, result.trainImages());
        assertEquals(result.epochs().get(0).seconds(), result.trainSeconds(), 1e-12);
    }

    /**
     * The device's predictions are the evaluation's own: the same argmax that {@link FineTuningSession#evaluate}
     * counts, and the softmax probability of that class as computed again on the host from the logits.
     */
    @Test
    void predictionsAreTheArgmaxAndItsSoftmaxProbability() {
        try (FineTuningSession session = new FineTuningSession(
                ModelLoader.loadFile(TestData.narrowModel(), Device.cpu()),
                StrategySpec.named("full"),
                HyperParameters.notebook().withImageSize(SIZE))) {
            Batch batch = TestData.batch(24, 7, SIZE, false);
            FineTuningSession.Predicted predicted = session.predict(batch);
            assertEquals(10, predicted.outputs());
            float[] logits = session.evalLogits(batch);
            long hits = 0;
            for (int i = 0; i < batch.size(); i++) {
                int best = 0;
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    if (logits[i * 10 + c] > logits[i * 10 + best]) {
                        best = c;
                    }
                }
                for (int c = 0; c < 10; c++) {
                    sum += Math.exp(logits[i * 10 + c] - logits[i * 10 + best]);
                }
                assertEquals(best, predicted.classes()[i], "image " + i);
                assertEquals(1 / sum, predicted.confidences()[i], 1e-6, "image " + i);
                hits += best == batch.labels()[i] ? 1 : 0;
            }
            assertEquals(session.evaluate(batch), hits);
        }
    }

    /**
     * Bins of a pass split in two add up to the bins of the whole pass, exactly; the predictions file of the pass reads
     * back equal, with the same matrix.
     */
    @Test
    void binsMergeAndThePredictionsFileRoundTrips() {
        try (FineTuningSession session = new FineTuningSession(
                ModelLoader.loadFile(TestData.narrowModel(), Device.cpu()),
                StrategySpec.named("full"),
                HyperParameters.notebook().withImageSize(SIZE))) {
            List<Batch> batches = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                batches.add(TestData.batch(16, 100 + b, SIZE, false));
            }
            TestEvaluation.Builder whole = new TestEvaluation.Builder(64);
            TestEvaluation.Builder first = new TestEvaluation.Builder(32);
            TestEvaluation.Builder second = new TestEvaluation.Builder(32);
            for (int b = 0; b < batches.size(); b++) {
                FineTuningSession.Predicted p = session.predict(batches.get(b));
                whole.add(batches.get(b).labels(), p);
                (b < 2 ? first : second).add(batches.get(b).labels(), p);
            }
            TestEvaluation all = whole.build(1.0, 10);
            CalibrationBins merged = first.build(0.5, 10).calibration();
            merged.addAll(second.build(0.5, 10).calibration());
            assertEquals(all.calibration(), merged);
            assertEquals(64, merged.total());

            Predictions predictions = all.predictions(10, TEST_DIGEST);
            Path file = dir.resolve("job.predictions");
            String sha256 = PredictionsFile.write(file, predictions);
            assertEquals(64, sha256.length());
            Predictions read = PredictionsFile.read(file);
            assertEquals(predictions, read);
            assertArrayEquals(all.confusionCounts(), read.confusionCounts());
            assertEquals(all.correct(), read.correctCount());
        }
    }

    /** A head with fewer outputs than the test set's labels still gets a row and a column for every class. */
    @Test
    void theClassCountCoversEveryLabel() {
        TestEvaluation.Builder builder = new TestEvaluation.Builder(2);
        builder.add(new long[] {0, 1}, new FineTuningSession.Predicted(2, new long[] {1, 1}, new float[] {0.6f, 0.9f}));
        TestEvaluation evaluation = builder.build(0.1, 5);
        assertEquals(5, evaluation.classCount());
        assertEquals(5, evaluation.confusionCounts().length);
        // a diverged model's NaN gives no confidence rather than a failed job
        TestEvaluation.Builder diverged = new TestEvaluation.Builder(1);
        diverged.add(new long[] {1}, new FineTuningSession.Predicted(2, new long[] {0}, new float[] {Float.NaN}));
        assertEquals(1, diverged.build(0.1, 2).calibration().count(0));
    }
}
