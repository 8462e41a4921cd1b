package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.trainer.engine.data.ImageTransforms;
import dev.tlab.trainer.engine.data.LabelledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epoch selection with real training (narrow model, 32 px, synthetic records). The validation split here is labelled
 * against the patterns the model learns (every label shifted by one class), so the better the model learns the training
 * data, the worse its validation loss: the best validation epoch is the first, not the last, which makes "tested on the
 * selected epoch" observable.
 */
class EpochSelectionTrainingTest {

    /** Enough epochs for the model to learn the training colours, and so to get worse on the swapped labels. */
    private static final int EPOCHS = 15;

    private static final LabelledImages TRAIN = twoClasses(redOrBlue(40, 1, false));
    private static final LabelledImages TEST = twoClasses(redOrBlue(40, 2, false));
    private static final LabelledImages CONTRADICTING_VAL = twoClasses(redOrBlue(40, 3, true));

    @TempDir
    Path dir;

    private TrainingEngine engine() {
        return TestData.engine(dir);
    }

    private static TrainingJob job(String id, int epochs, EpochSelection selection) {
        return TestData.job(
                id,
                TestData.narrowModel().toUri().toString(),
                StrategySpec.named("full"),
                HyperParameters.notebook().withImageSize(32).withEpochs(epochs).withSelection(selection));
    }

    /**
     * Two classes a model tells apart within a few steps: reddish images (class 0) and bluish ones (class 1), with
     * noise; {@code swapped} labels each as the other class.
     */
    private static CifarRecords redOrBlue(int count, long seed, boolean swapped) {
        java.util.Random random = new java.util.Random(seed);
        int pixels = 32 * 32;
        byte[] records = new byte[count * (1 + 3 * pixels)];
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            int offset = i * (1 + 3 * pixels);
            records[offset] = (byte) (swapped ? 1 - label : label);
            for (int c = 0; c < 3; c++) {
                int mean = (label == 0 && c == 0) || (label == 1 && c == 2) ? 170 : 80;
                for (int p = 0; p < pixels; p++) {
                    records[offset + 1 + c * pixels + p] =
                            (byte) Math.max(0, Math.min(255, mean + random.nextInt(81) - 40));
                }
            }
        }
        return CifarRecords.fromBytes(records);
    }

    /** The records as a dataset with a class map of two classes, like the user's own images: a head of 2 outputs. */
    private static LabelledImages twoClasses(CifarRecords records) {
        LabelledImages images = LabelledImages.of(records);
        return new LabelledImages() {
            @Override
            public int size() {
                return images.size();
            }

            @Override
            public int label(int index) {
                return images.label(index);
            }

            @Override
            public int labelBound() {
                return 2;
            }

            @Override
            public Integer classes() {
                return 2;
            }

            @Override
            public void train(
                    int index, ImageTransforms transforms, java.util.SplittableRandom rng, float[] out, int offset) {
                images.train(index, transforms, rng, out, offset);
            }

            @Override
            public void test(int index, ImageTransforms transforms, float[] out, int offset) {
                images.test(index, transforms, out, offset);
            }
        };
    }

    private static final class Epochs implements TrainingListener {
        final List<EpochMetrics> seen = new ArrayList<>();

        @Override
        public void onEpoch(EpochMetrics m) {
            seen.add(m);
        }
    }

    /** The epoch of the lowest validation loss, the first of equals: what the selection must pick. */
    private static int lowestValidationLoss(List<EpochMetrics> epochs) {
        EpochMetrics best = epochs.get(0);
        for (EpochMetrics m : epochs) {
            if (m.valLoss() < best.valLoss()) {
                best = m;
            }
        }
        return best.epoch();
    }

    private TrainingResult run(TrainingEngine engine, TrainingJob job, TrainingListener listener) {
        return engine.train(job, TRAIN, CONTRADICTING_VAL, TEST, listener, () -> false);
    }

    @Test
    void theJobIsTestedOnItsBestValidationEpochWhichIsNotTheLast() {
        TrainingEngine engine = engine();
        Epochs epochs = new Epochs();
        TrainingJob selecting = job("selecting", EPOCHS, new EpochSelection(EpochSelection.VAL_LOSS, null));
        TrainingResult selected = run(engine, selecting, epochs);

        assertEquals(EPOCHS, epochs.seen.size());
        epochs.seen.forEach(m -> assertTrue(m.validated(), "every epoch is evaluated on validation: " + m));
        int best = lowestValidationLoss(epochs.seen);
        assertTrue(best < EPOCHS, "the fixture's validation loss rises once the model learns: " + epochs.seen);
        SelectedEpoch selection = selected.selection();
        assertEquals(best, selection.epoch());
        assertEquals(EPOCHS, selection.epochsTrained());
        assertFalse(selection.stoppedEarly());
        assertEquals(epochs.seen.get(best - 1).valLoss(), selection.value());
        assertTrue(selection.reason().startsWith("lowest validation loss"), selection.reason());
        Path jobFolder = dir.resolve("checkpoints").resolve(selecting.jobId().toString());
        assertTrue(Files.isDirectory(jobFolder.resolve(String.format("epoch-%04d", best))), "the best is kept");
        assertTrue(Files.isDirectory(jobFolder.resolve(String.format("epoch-%04d", EPOCHS))), "and the newest");

        // the test set was evaluated on the best epoch's model: what a job that stops after that epoch finds
        TrainingResult stoppedThere = run(engine, job("stopped-at-best", best, null), new Epochs());
        assertNull(stoppedThere.selection());
        assertEquals(stoppedThere.testAccuracy(), selected.testAccuracy());
        assertArrayEquals(
                stoppedThere.evaluation().confusionCounts(),
                selected.evaluation().confusionCounts());
        TrainingResult toTheEnd = run(engine, job("to-the-end", EPOCHS, null), new Epochs());
        assertFalse(
                Arrays.deepEquals(
                        toTheEnd.evaluation().confusionCounts(),
                        selected.evaluation().confusionCounts()),
                "the last epoch's model predicts otherwise, so the comparison above could fail");
    }

    @Test
    void patienceStopsTrainingAfterThatManyEpochsWithoutImprovement() {
        TrainingEngine engine = engine();
        Epochs all = new Epochs();
        run(engine, job("every-epoch", EPOCHS, new EpochSelection(EpochSelection.VAL_LOSS, null)), all);
        Epochs patient = new Epochs();
        TrainingResult r = run(engine, job("patient", EPOCHS, new EpochSelection(EpochSelection.VAL_LOSS, 2)), patient);

        int trained = patient.seen.size();
        assertTrue(trained < EPOCHS, "stopped early: " + patient.seen);
        SelectedEpoch selection = r.selection();
        assertEquals(trained, selection.epochsTrained());
        assertEquals(lowestValidationLoss(patient.seen), selection.epoch());
        assertEquals(2, trained - selection.epoch(), "two epochs without improvement, then it stops");
        assertTrue(selection.stoppedEarly());
        assertTrue(selection.reason().contains("stopped after 2 epochs without improvement"), selection.reason());
        for (int e = 0; e < trained; e++) {
            assertEquals(all.seen.get(e).valLoss(), patient.seen.get(e).valLoss(), 1e-6, "the same epochs");
        }
        for (int t = 1; t < trained; t++) {
            // before the stop, never two epochs in a row without improvement, or it would have stopped there
            assertTrue(t - lowestValidationLoss(all.seen.subList(0, t)) < 2, "epoch " + t + ": " + all.seen);
        }
    }

    @Test
    void aResumedJobKeepsItsBestSoFar() {
        TrainingEngine engine = engine();
        TrainingResult straight =
                run(engine, job("straight", EPOCHS, new EpochSelection(EpochSelection.VAL_LOSS, null)), new Epochs());
        int best = straight.selection().epoch();
        int stopAfter = Math.min(best + 1, EPOCHS - 1);

        AtomicBoolean stop = new AtomicBoolean();
        TrainingJob interrupted = job("interrupted", EPOCHS, new EpochSelection(EpochSelection.VAL_LOSS, null));
        TrainingListener stopping = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                stop.set(m.epoch() == stopAfter);
            }
        };
        assertThrows(
                TrainingCancelledException.class,
                () -> engine.train(interrupted, TRAIN, CONTRADICTING_VAL, TEST, stopping, stop::get));
        Epochs resumed = new Epochs();
        TrainingResult r = run(engine, interrupted, resumed);

        assertEquals(stopAfter, r.resumedAfterEpoch());
        assertEquals(stopAfter + 1, resumed.seen.get(0).epoch());
        assertEquals(best, r.selection().epoch(), "the best epoch, trained before the interruption, is kept");
        assertEquals(straight.selection().value(), r.selection().value(), 1e-6);
        assertArrayEquals(
                straight.evaluation().confusionCounts(), r.evaluation().confusionCounts());
    }

    @Test
    void aSelectionWithoutValidationImagesFailsForGood() {
        TrainingJob job = job("no-val", 2, EpochSelection.byValidationAccuracy());
        ValidationSplitMissingException e = assertThrows(
                ValidationSplitMissingException.class,
                () -> engine().train(job, TRAIN, null, TEST, new Epochs(), () -> false));
        assertTrue(e.getMessage().contains("hyperParameters.selection"), e.getMessage());
        assertTrue(e instanceof PermanentFailure);
    }

    @Test
    void withoutASelectionNoEpochIsValidatedAndOnlyTheNewestCheckpointStays() {
        Epochs epochs = new Epochs();
        TrainingJob job = job("notebook", 2, null);
        TrainingResult r = engine().train(job, TRAIN, CONTRADICTING_VAL, TEST, epochs, () -> false);
        epochs.seen.forEach(m -> assertFalse(m.validated()));
        assertNull(r.selection());
        Path jobFolder = dir.resolve("checkpoints").resolve(job.jobId().toString());
        assertFalse(Files.exists(jobFolder.resolve("epoch-0001")));
        assertTrue(Files.isDirectory(jobFolder.resolve("epoch-0002")));
    }
}
