package dev.tlab.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.datafiles.Predictions;
import dev.tlab.trainer.engine.TestEvaluation;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The class map an evaluation is reported in, its matrix, and what becomes of its predictions. */
class EvaluationReportTest {
    private static final String TEST_DIGEST = "cd".repeat(32);
    private static final PredictionsArtifact KEPT =
            new PredictionsArtifact("e/j.predictions", "ef".repeat(32), 99L, 4L);

    /** Four test images of the classes 0, 1, 1, 2; the model has {@code outputs} outputs. */
    private static TestEvaluation fourImages(int outputs) {
        return TestEvaluation.of(
                outputs,
                new long[] {0, 1, 1, 2},
                new long[] {0, 1, outputs - 1, 2},
                new float[] {0.9f, 0.8f, 0.7f, 1.0f},
                0.5,
                3);
    }

    @Test
    void extraOutputsOfTheModelGetNamesOfTheirOwn() {
        assertEquals(List.of("cat", "dog"), EvaluationReport.classNames(2, List.of("cat", "dog")));
        assertEquals(
                List.of("cat", "dog", "output 2", "output 3"), EvaluationReport.classNames(4, List.of("cat", "dog")));
        assertEquals(
                List.of("cat", "output 2", "output 2*"), EvaluationReport.classNames(3, List.of("cat", "output 2")));
    }

    @Test
    void theMatrixIsInTheManifestsOrderAndThePredictionsAreKept() {
        AtomicReference<Predictions> handed = new AtomicReference<>();
        Evaluation evaluation =
                EvaluationReport.evaluation(fourImages(3), List.of("ant", "bee", "cow"), TEST_DIGEST, p -> {
                    handed.set(p);
                    return KEPT;
                });
        assertEquals(List.of("ant", "bee", "cow"), evaluation.classes());
        assertEquals(
                List.of(List.of(1L, 0L, 0L), List.of(0L, 1L, 1L), List.of(0L, 0L, 1L)), evaluation.confusionMatrix());
        assertEquals(3L, evaluation.correct());
        assertEquals(4, evaluation.calibration().total());
        assertEquals(1, evaluation.calibration().counts().get(15), "the one prediction of confidence 1.0");
        assertSame(KEPT, evaluation.predictions());
        assertEquals(TEST_DIGEST, handed.get().testDigest());
        assertEquals(3, handed.get().classCount());
    }

    /** A model of five outputs on three classes: the predictions of its extra outputs stay visible. */
    @Test
    void aModelWithMoreOutputsThanClassesGetsAColumnForEach() {
        Evaluation evaluation =
                EvaluationReport.evaluation(fourImages(5), List.of("ant", "bee", "cow"), TEST_DIGEST, p -> null);
        assertEquals(List.of("ant", "bee", "cow", "output 3", "output 4"), evaluation.classes());
        assertEquals(1L, evaluation.confusionMatrix().get(1).get(4));
        assertNull(evaluation.predictions(), "no model store, no file");
    }

    /** Without a sha256 that names the test set no file is written (it could never be paired with another). */
    @Test
    void noPredictionsFileWithoutATestDigest() {
        Evaluation evaluation = EvaluationReport.evaluation(fourImages(3), List.of("ant", "bee", "cow"), "v1", p -> {
            throw new AssertionError("not kept");
        });
        assertNull(evaluation.predictions());
        assertEquals(4L, evaluation.testImages());
    }

    /** Above 256 classes the matrix is left out of the message; above 1,024 nothing is reported. */
    @Test
    void largeClassMapsLeaveOutWhatNoMessageCanCarry() {
        List<String> many = IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
        Evaluation evaluation = EvaluationReport.evaluation(fourImages(3), many, TEST_DIGEST, p -> null);
        assertEquals(300, evaluation.classes().size());
        assertNull(evaluation.confusionMatrix());
        List<String> tooMany = IntStream.range(0, 1025).mapToObj(i -> "c" + i).toList();
        assertEquals(false, EvaluationReport.reportable(fourImages(3), tooMany));
        assertEquals(true, EvaluationReport.reportable(fourImages(3), many));
    }
}
