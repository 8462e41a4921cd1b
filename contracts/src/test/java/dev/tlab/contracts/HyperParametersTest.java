package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HyperParametersTest {

    @Test
    void aBuilderLeftEmptyGivesTheNotebooksSettings() {
        HyperParameters notebook = HyperParameters.builder().build();
        assertEquals(10, notebook.epochs());
        assertEquals(64, notebook.trainBatchSize());
        assertEquals(128, notebook.evalBatchSize());
        assertEquals(1e-4, notebook.backboneLearningRate());
        assertEquals(1e-3, notebook.headLearningRate());
        assertEquals(224, notebook.imageSize());
        assertEquals(List.of("fc.*"), notebook.headPatterns());
        assertEquals(notebook, HyperParameters.notebook());
    }

    @Test
    void everyFieldGoesThroughTheBuilderAndBack() {
        HyperParameters all = HyperParameters.builder()
                .epochs(3)
                .trainBatchSize(16)
                .evalBatchSize(32)
                .backboneLearningRate(2e-4)
                .headLearningRate(3e-3)
                .weightDecay(0.02)
                .beta1(0.8)
                .beta2(0.99)
                .epsilon(1e-6)
                .imageSize(96)
                .headPatterns(List.of("layer4.*", "fc.*"))
                .precision(Precision.BF16)
                .selection(new EpochSelection("valLoss", 2))
                .build();
        assertEquals(
                new HyperParameters(
                        3,
                        16,
                        32,
                        2e-4,
                        3e-3,
                        0.02,
                        0.8,
                        0.99,
                        1e-6,
                        96,
                        List.of("layer4.*", "fc.*"),
                        Precision.BF16,
                        new EpochSelection("valLoss", 2)),
                all);
        assertEquals(all, all.toBuilder().build());
        assertEquals(7, all.withEpochs(7).epochs());
        assertEquals(all.withEpochs(7).imageSize(), 96);
    }

    @Test
    void theBuilderChecksLikeTheConstructor() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> HyperParameters.builder().trainBatchSize(0).build());
        assertEquals("hyperParameters.trainBatchSize", e.field());
    }
}
