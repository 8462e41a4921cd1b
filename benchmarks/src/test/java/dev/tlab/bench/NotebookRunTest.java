package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The notebook rows are timed as the PyTorch peer times them: the steady rate after the first batch. */
class NotebookRunTest {

    @Test
    void theFirstBatchIsNeitherTimedNorCounted() {
        NotebookRun run = new NotebookRun();
        run.batchDone(64, 10_000_000_000L); // start-up: 10 s
        run.batchDone(64, 11_000_000_000L);
        run.batchDone(64, 12_000_000_000L);
        run.batchDone(56, 13_000_000_000L); // the epoch's last, short batch
        assertEquals(4, run.batches());
        assertEquals(184, run.timedImages());
        assertEquals(3.0, run.timedSeconds(), 1e-9);
        assertEquals(184 / 3.0, run.imagesPerSecond(), 1e-9);
    }

    @Test
    void oneBatchGivesNoRate() {
        NotebookRun run = new NotebookRun();
        run.batchDone(64, 5L);
        assertEquals(0.0, run.imagesPerSecond());
    }

    @Test
    void batchesAreTheRequestedCountOrTheEpochAndNeverMoreThanTheEpoch() {
        assertEquals(47, NotebookRun.batchesToRun(0, false, 47));
        assertEquals(NotebookRun.QUICK_BATCHES, NotebookRun.batchesToRun(0, true, 47));
        assertEquals(10, NotebookRun.batchesToRun(10, true, 47));
        assertEquals(47, NotebookRun.batchesToRun(100, false, 47));
        assertThrows(IllegalArgumentException.class, () -> NotebookRun.batchesToRun(-1, false, 47));
    }

    @Test
    void sizesAreAPositiveCommaList() {
        assertEquals(List.of(32, 224), NotebookRun.sizes("32, 224"));
        assertThrows(IllegalArgumentException.class, () -> NotebookRun.sizes("32,0"));
        assertThrows(NumberFormatException.class, () -> NotebookRun.sizes("px"));
    }
}
