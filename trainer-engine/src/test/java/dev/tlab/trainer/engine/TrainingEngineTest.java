package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.datafiles.CifarRecords;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.trainer.engine.model.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of the engine on the narrow model, 32 px images and a few hundred synthetic records. */
class TrainingEngineTest {

    private static final CifarRecords TRAIN = TestData.records(200, 1);
    private static final CifarRecords TEST = TestData.records(60, 2);

    @TempDir
    Path dir;

    private TrainingEngine engine() {
        return TestData.engine(dir);
    }

    private static TrainingJob job(String id, StrategySpec strategy, int epochs) {
        return TestData.job(
                id,
                TestData.narrowModel().toUri().toString(),
                strategy,
                HyperParameters.notebook().withImageSize(32).withEpochs(epochs));
    }

    /** Records every callback, in order. */
    private static final class Recorder implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        final List<EpochMetrics> epochs = new ArrayList<>();
        JobStart start;

        @Override
        public void onStart(JobStart s) {
            start = s;
            calls.add("start");
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochs.add(m);
            calls.add("epoch " + m.epoch());
        }
    }

    @Test
    void twoEpochsReportInOrderAndEvaluate() {
        Recorder rec = new Recorder();
        TrainingJob job = job("two-epochs", StrategySpec.named("partial"), 2);
        TrainingResult r = engine().train(job, TRAIN, TEST, rec, () -> false);

        assertEquals(List.of("start", "epoch 1", "epoch 2"), rec.calls);
        assertEquals(0, rec.start.resumedAfterEpoch());
        assertEquals("cpu()", rec.start.device());
        for (EpochMetrics m : rec.epochs) {
            assertEquals(200, m.samples(), "the last partial batch (200 = 3 x 64 + 8) is trained too");
            assertTrue(m.loss() > 0 && Double.isFinite(m.loss()));
            assertTrue(m.trainAccuracy() >= 0 && m.trainAccuracy() <= 1);
            assertTrue(m.seconds() > 0 && m.imagesPerSecond() > 0);
            assertTrue(m.dataWaitSeconds() >= 0 && m.dataWaitSeconds() <= m.seconds());
        }
        assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1);
        assertEquals(60, r.testSamples());
        assertEquals(2, r.epochs().size());
        assertEquals(r.trainableParameters(), rec.start.trainableParameters());
        assertTrue(r.trainableParameters() < r.totalParameters());
        assertTrue(Files.isDirectory(
                dir.resolve("checkpoints").resolve(job.jobId().toString()).resolve("epoch-0002")));
    }

    /**
     * The optimizer state read back from a checkpoint must own its memory: decoded arrays can borrow the decoder's
     * buffer, which the garbage collector frees once the decoder is gone. Before the fix this crashed the JVM (SIGSEGV
     * in memcpy) a few epochs after a resume.
     */
    @Test
    void resumedOptimizerStateSurvivesGarbageCollection() {
        AtomicBoolean stop = new AtomicBoolean();
        TrainingJob job = TestData.job(
                "resume-gc",
                TestData.narrowModel().toUri().toString(),
                StrategySpec.named("full"),
                HyperParameters.builder()
                        .epochs(6)
                        .trainBatchSize(20)
                        .evalBatchSize(60)
                        .imageSize(16)
                        .build());
        assertThrows(
                TrainingCancelledException.class,
                () -> engine().train(
                                job,
                                TRAIN,
                                TEST,
                                new TrainingListener() {
                                    @Override
                                    public void onEpoch(EpochMetrics m) {
                                        stop.set(true);
                                    }
                                },
                                stop::get));
        Recorder resumed = new Recorder();
        TrainingResult r = engine().train(
                        job,
                        TRAIN,
                        TEST,
                        new TrainingListener() {
                            @Override
                            public void onStart(JobStart s) {
                                resumed.onStart(s);
                                collectGarbage();
                            }

                            @Override
                            public void onEpoch(EpochMetrics m) {
                                resumed.onEpoch(m);
                                collectGarbage();
                            }
                        },
                        () -> false);
        assertEquals(List.of("start", "epoch 2", "epoch 3", "epoch 4", "epoch 5", "epoch 6"), resumed.calls);
        assertTrue(Double.isFinite(r.epochs().get(5).loss()));
    }

    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            byte[][] churn = new byte[64][];
            for (int j = 0; j < churn.length; j++) {
                churn[j] = new byte[1 << 20];
            }
        }
    }

    @Test
    void aCancelledJobResumesAfterItsLastCompletedEpoch() {
        AtomicBoolean stop = new AtomicBoolean();
        Recorder first = new Recorder();
        TrainingListener stopAfterEpoch1 = new TrainingListener() {
            @Override
            public void onStart(JobStart s) {
                first.onStart(s);
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                first.onEpoch(m);
                stop.set(true);
            }
        };
        TrainingJob job = job("resumable", StrategySpec.named("freeze"), 3);
        TrainingCancelledException e = assertThrows(
                TrainingCancelledException.class, () -> engine().train(job, TRAIN, TEST, stopAfterEpoch1, stop::get));
        assertEquals(1, e.completedEpochs());
        assertEquals(List.of("start", "epoch 1"), first.calls);

        Recorder second = new Recorder();
        TrainingResult r = engine().train(job, TRAIN, TEST, second, () -> false);
        assertEquals(1, second.start.resumedAfterEpoch());
        assertEquals(List.of("start", "epoch 2", "epoch 3"), second.calls);
        assertEquals(3, r.epochs().size());
        assertEquals(
                List.of(1, 2, 3), r.epochs().stream().map(EpochMetrics::epoch).toList());
        assertEquals(first.epochs.get(0), r.epochs().get(0), "history of the first attempt is kept");
        assertEquals(1, r.resumedAfterEpoch());
    }

    @Test
    void resumingGivesTheSameTrainingAsAnUninterruptedRun() {
        TrainingEngine engine = engine();
        Recorder straight = new Recorder();
        engine.train(job("straight", StrategySpec.named("partial"), 2), TRAIN, TEST, straight, () -> false);

        AtomicBoolean stop = new AtomicBoolean();
        TrainingJob interrupted = job("interrupted", StrategySpec.named("partial"), 2);
        assertThrows(
                TrainingCancelledException.class,
                () -> engine.train(
                        interrupted,
                        TRAIN,
                        TEST,
                        new TrainingListener() {
                            @Override
                            public void onEpoch(EpochMetrics m) {
                                stop.set(true);
                            }
                        },
                        stop::get));
        Recorder resumed = new Recorder();
        engine.train(interrupted, TRAIN, TEST, resumed, () -> false);

        // Same seed -> same order and crops; restored weights, BatchNorm buffers and AdamW moments -> same epoch 2.
        assertEquals(straight.epochs.get(1).loss(), resumed.epochs.get(0).loss(), 1e-4);
        assertEquals(
                straight.epochs.get(1).trainAccuracy(), resumed.epochs.get(0).trainAccuracy(), 1e-9);
    }

    @Test
    void aCheckpointOnlyResumesTheJobThatWroteIt() {
        TrainingEngine engine = engine();
        engine.train(
                job("reused-id", StrategySpec.named("partial"), 1), TRAIN, TEST, TrainingListener.NONE, () -> false);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> engine.train(
                        job("reused-id", StrategySpec.named("full"), 1),
                        TRAIN,
                        TEST,
                        TrainingListener.NONE,
                        () -> false));
        assertTrue(e.getMessage().contains("belongs to strategy partial"), e.getMessage());
    }

    @Test
    void missingModelSaysHowToProvideOne() {
        TrainingJob job = TestData.job(
                "no-model", dir.resolve("nope.pt").toString(), StrategySpec.named("full"), HyperParameters.notebook());
        RuntimeException e = assertThrows(
                RuntimeException.class, () -> engine().train(job, TRAIN, TEST, TrainingListener.NONE, () -> false));
        assertTrue(e.getMessage().contains("nope.pt") && e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("export_resnet18.py"), e.getMessage());
        assertTrue(e.getMessage().contains("tlab.trainer.model-cache"), e.getMessage());
    }

    @Test
    void corruptModelIsAClearError() throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.pt"), "not a torchscript archive");
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> engine().plan(
                                ModelSource.of(bad.toString()),
                                List.of(StrategySpec.named("full")),
                                HyperParameters.notebook()));
        assertTrue(e.getMessage().contains("could not be loaded as TorchScript"), e.getMessage());
        assertTrue(e.getMessage().contains("export_resnet18.py"), e.getMessage());
    }

    @Test
    void labelsBeyondTheHeadAreRejected() {
        byte[] data = SyntheticCifar.records(20, 3);
        data[0] = 12; // label 12 on a 10-class head
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> engine().train(
                                job("bad-labels", StrategySpec.named("full"), 1),
                                CifarRecords.fromBytes(data),
                                TEST,
                                TrainingListener.NONE,
                                () -> false));
        assertTrue(e.getMessage().contains("--classes 13"), e.getMessage());
    }
}
