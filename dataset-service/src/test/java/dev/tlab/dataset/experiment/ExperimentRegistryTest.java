package dev.tlab.dataset.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.ExperimentRequested;
import dev.tlab.contracts.SubsetPolicy;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which request each id stands for, and which ids are spent, across restarts (the log file). */
class ExperimentRegistryTest {
    @TempDir
    Path dir;

    private static ExperimentRequested request(UUID id, int samplesPerClass) {
        return ExperimentRequested.create(
                id,
                DatasetSpec.of(DatasetSpec.SYNTHETIC),
                new SubsetPolicy(null, samplesPerClass, null),
                null,
                null,
                null,
                null);
    }

    @Test
    void claimedContentCountsAsAdmittedAndOtherContentUnderItsIdIsAConflict() {
        ExperimentRegistry registry = new ExperimentRegistry(dir.resolve("experiments.log"));
        UUID id = UUID.randomUUID();
        assertFalse(registry.checkOpen(request(id, 3)), "never seen: to be admitted");
        assertEquals(ExperimentRegistry.Claim.NEW, registry.claim(request(id, 3)));
        assertTrue(registry.checkOpen(request(id, 3)), "claimed after admission: not admitted again");
        assertEquals(ExperimentRegistry.Claim.SAME, registry.claim(request(id, 3)));
        assertThrows(ExperimentConflictException.class, () -> registry.checkOpen(request(id, 4)));
        assertThrows(ExperimentConflictException.class, () -> registry.claim(request(id, 4)));

        ExperimentRegistry restarted = new ExperimentRegistry(dir.resolve("experiments.log"));
        assertTrue(restarted.checkOpen(request(id, 3)));
    }

    @Test
    void aFailedIdIsSpentAlsoAfterARestart() {
        ExperimentRegistry registry = new ExperimentRegistry(dir.resolve("experiments.log"));
        UUID id = UUID.randomUUID();
        registry.claim(request(id, 3));
        registry.markFailed(id);
        registry.markFailed(id);
        ExperimentConflictException e =
                assertThrows(ExperimentConflictException.class, () -> registry.checkOpen(request(id, 3)));
        assertTrue(e.reason().contains("failed after it was accepted"), e.reason());

        ExperimentRegistry restarted = new ExperimentRegistry(dir.resolve("experiments.log"));
        assertThrows(ExperimentConflictException.class, () -> restarted.claim(request(id, 3)));
        UUID neverClaimed = UUID.randomUUID();
        restarted.markFailed(neverClaimed);
        assertThrows(ExperimentConflictException.class, () -> restarted.checkOpen(request(neverClaimed, 5)));
    }
}
