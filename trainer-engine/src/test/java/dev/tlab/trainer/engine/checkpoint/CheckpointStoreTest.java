package dev.tlab.trainer.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.trainer.engine.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private static EpochMetrics m(int epoch) {
        return new EpochMetrics(epoch, 3, 1.5 / epoch, 0.1 * epoch, 2.0, 100.0, 0.01, 200);
    }

    @Test
    void keepsOnlyTheNewestCompleteCheckpoint() {
        CheckpointStore store = new CheckpointStore(dir);
        assertTrue(store.latest("job-1").isEmpty());
        store.save("job-1", 1, 7, "partial", List.of(m(1)), out -> out.write(1), out -> out.write(2));
        Checkpoint c =
                store.save("job-1", 2, 7, "partial", List.of(m(1), m(2)), out -> out.write(3), out -> out.write(4));
        assertEquals(2, store.latest("job-1").orElseThrow().completedEpoch());
        assertEquals(List.of(m(1), m(2)), store.latest("job-1").orElseThrow().history());
        assertEquals(7, c.seed());
        assertFalse(Files.exists(dir.resolve("job-1/epoch-0001")));
        assertTrue(Files.isRegularFile(c.modelFile()));
    }

    @Test
    void theEpochAskedToBeKeptStaysWithTheNewestAndValidationFiguresReadBack() {
        CheckpointStore store = new CheckpointStore(dir);
        List<EpochMetrics> history = List.of(
                m(1).withValidation(0.4, 0.75, 0.5),
                m(2).withValidation(0.5, 0.5, 0.5),
                m(3).withValidation(Double.NaN, 0.25, 1));
        store.save("job-3", 1, 0, "full", 2, history.subList(0, 1), out -> out.write(1), out -> out.write(2), 0);
        store.save("job-3", 2, 0, "full", 2, history.subList(0, 2), out -> out.write(3), out -> out.write(4), 1);
        store.save("job-3", 3, 0, "full", 2, history, out -> out.write(5), out -> out.write(6), 1);
        assertTrue(Files.isDirectory(dir.resolve("job-3/epoch-0001")), "kept");
        assertFalse(Files.exists(dir.resolve("job-3/epoch-0002")));
        assertEquals(3, store.latest("job-3").orElseThrow().completedEpoch(), "the newest still resumes");
        assertEquals(history, store.latest("job-3").orElseThrow().history());
        assertEquals(1, store.epoch("job-3", 1).orElseThrow().completedEpoch());
        assertTrue(store.epoch("job-3", 2).isEmpty());
        // a new best: the old one goes at the next save
        store.save("job-3", 4, 0, "full", 2, history, out -> out.write(7), out -> out.write(8), 4);
        assertFalse(Files.exists(dir.resolve("job-3/epoch-0001")));
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpoint() {
        CheckpointStore store = new CheckpointStore(dir);
        store.save("job-2", 1, 0, "full", List.of(m(1)), out -> out.write(1), out -> out.write(2));
        assertThrows(IOException.class, () -> {
            try {
                store.save("job-2", 2, 0, "full", List.of(m(1), m(2)), out -> out.write(1), out -> {
                    throw new IOException("disk full");
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        });
        assertEquals(1, store.latest("job-2").orElseThrow().completedEpoch());
    }

    @Test
    void jobIdsCannotEscapeTheFolder() {
        CheckpointStore store = new CheckpointStore(dir);
        assertThrows(IllegalArgumentException.class, () -> store.latest("../etc"));
    }
}
