package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochSelectionTest {

    @Test
    void anEmptySelectionPicksByValidationAccuracyAndTrainsEveryEpoch() {
        EpochSelection selection = EventCodec.fromJson("{}", EpochSelection.class);
        assertEquals(EpochSelection.VAL_ACCURACY, selection.metric());
        assertNull(selection.patience());
    }

    @Test
    void onlyAStrictImprovementCounts() {
        EpochSelection accuracy = EpochSelection.byValidationAccuracy();
        assertTrue(accuracy.improves(0.8, 0.7));
        assertFalse(accuracy.improves(0.7, 0.7), "a tie keeps the earlier epoch");
        assertFalse(accuracy.improves(0.6, 0.7));
        EpochSelection loss = new EpochSelection(EpochSelection.VAL_LOSS, 2);
        assertTrue(loss.improves(0.4, 0.5));
        assertFalse(loss.improves(0.5, 0.5));
        assertEquals(0.4, loss.valueOf(0.4, 0.9));
        assertEquals(0.9, accuracy.valueOf(0.4, 0.9));
    }

    @Test
    void anUnknownMetricOrPatienceIsRefusedNamingItsField() {
        InvalidFieldException metric =
                assertThrows(InvalidFieldException.class, () -> new EpochSelection("testAccuracy", null));
        assertEquals("hyperParameters.selection.metric", metric.field());
        InvalidFieldException patience = assertThrows(InvalidFieldException.class, () -> new EpochSelection(null, 0));
        assertEquals("hyperParameters.selection.patience", patience.field());
    }

    @Test
    void aSelectionOnADatasetWithoutAValidationSplitIsRefused() {
        ExperimentRequested cifar = Samples.experimentRequested();
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> ExperimentRequested.create(
                        cifar.experimentId(),
                        cifar.dataset(),
                        cifar.subset(),
                        cifar.strategies(),
                        cifar.hyperParameters().withSelection(EpochSelection.byValidationAccuracy()),
                        cifar.model(),
                        cifar.seeds()));
        assertEquals("hyperParameters.selection", e.field());
        ExperimentRequested images = Samples.experimentRequestedImages();
        ExperimentRequested selecting = ExperimentRequested.create(
                images.experimentId(),
                images.dataset(),
                images.subset(),
                images.strategies(),
                images.hyperParameters().withSelection(EpochSelection.byValidationAccuracy()),
                images.model(),
                images.seeds());
        assertEquals(
                EpochSelection.byValidationAccuracy(),
                selecting.hyperParameters().selection());
    }

    @Test
    void anEpochHasBothValidationFiguresOrNeither() {
        EpochCompleted sample = Samples.epochCompletedValidation();
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> EpochCompleted.of(sample.job(), "cpu()", 1, 2, 0.5, 0.5, 1, 1, 0, 0.5, null));
        assertEquals("valAccuracy", e.field());
        InvalidFieldException range = assertThrows(
                InvalidFieldException.class,
                () -> EpochCompleted.of(sample.job(), "cpu()", 1, 2, 0.5, 0.5, 1, 1, 0, 0.5, 1.5));
        assertEquals("valAccuracy", range.field());
        assertTrue(sample.validated());
        assertFalse(Samples.epochCompleted().validated());
    }

    @Test
    void theSelectedEpochIsOneOfTheEpochsTrained() {
        InvalidFieldException beyond = assertThrows(
                InvalidFieldException.class,
                () -> new SelectedEpoch(5, 4, EpochSelection.VAL_ACCURACY, 0.5, false, "epoch 5"));
        assertEquals("selection.epoch", beyond.field());
        JobCompleted sample = Samples.jobCompletedSelection();
        InvalidFieldException mismatch = assertThrows(
                InvalidFieldException.class,
                () -> JobCompleted.of(
                        sample.job(),
                        sample.device(),
                        sample.testAccuracy(),
                        sample.trainableParameters(),
                        sample.totalParameters(),
                        sample.wallSeconds(),
                        10,
                        null,
                        null,
                        null,
                        sample.evaluation(),
                        null,
                        sample.selection()));
        assertEquals("selection.epochsTrained", mismatch.field());
    }
}
