package dev.tlab.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.PredictionsArtifact;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.Predictions;
import dev.tlab.datafiles.PredictionsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheFileWithItsDigestAndRemovesExperimentsPastTheRetention() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store"), Duration.ofDays(30));
        Path model = Files.writeString(dir.resolve("model.pt"), "x");
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        ModelArtifact kept = store.keep(old, job, model);
        // sha256("x")
        assertEquals("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", kept.sha256());
        assertEquals(1L, kept.bytes());
        assertEquals(old + "/" + job + ".pt", kept.path());
        assertTrue(Files.readString(dir.resolve("store").resolve(old.toString()).resolve(job + ".pt.sha256"))
                .startsWith(kept.sha256() + "  " + job + ".pt"));
        store.keep(recent, job, model);

        Instant now = Instant.now();
        try (var files = Files.list(dir.resolve("store").resolve(old.toString()))) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, FileTime.from(now.minus(Duration.ofDays(31))));
            }
        }
        assertEquals(List.of(old.toString()), store.removeExpired(now));
        assertFalse(Files.exists(dir.resolve("store").resolve(old.toString())));
        assertTrue(Files.exists(dir.resolve("store").resolve(recent.toString()).resolve(job + ".pt")));
        assertEquals(List.of(), store.removeExpired(now));
    }

    /** The predictions file lies next to the model, reads back equal and has the digest it is reported with. */
    @Test
    void keepsThePredictionsNextToTheModel() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store"), Duration.ofDays(30));
        UUID experiment = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        Predictions predictions = Predictions.of(3, "ab".repeat(32), new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 1});
        PredictionsArtifact kept = store.keepPredictions(experiment, job, predictions);
        Path file = dir.resolve("store").resolve(kept.path());
        assertEquals(experiment + "/" + job + ".predictions", kept.path());
        assertEquals(Checksums.sha256Hex(file), kept.sha256());
        assertEquals(Files.size(file), kept.bytes());
        assertEquals(4L, kept.images());
        assertEquals(predictions, PredictionsFile.read(file));
    }

    @Test
    void theRetentionMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ModelStore(dir, Duration.ZERO));
    }
}
