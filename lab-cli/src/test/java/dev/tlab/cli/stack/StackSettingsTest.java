package dev.tlab.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local stack gives its trainers besides their defaults: the model folders and the plan token. */
class StackSettingsTest {

    @TempDir
    Path dir;

    @Test
    void trainersLoadModelsFromTheRepositorysModelsTheirCacheAndTheFoldersARequestNames() {
        Path root = dir.resolve("repo");
        Path work = dir.resolve("repo/.lab");
        StackSettings settings = new StackSettings(
                root, work, StackSettings.LOOPBACK, 9092, 8081, 8082, 8083, 1, Map.of(), Map.of(), Map.of());
        Map<String, String> trainer = settings.trainerProperties("127.0.0.1:9092", 0);
        assertEquals(root.resolve("models") + "," + work.resolve("models"), trainer.get("tlab.trainer.model-roots"));
        assertEquals(
                root.resolve("models") + "," + work.resolve("models") + "," + dir.resolve("mine"),
                StackSettings.modelRoots(root, work, dir.resolve("mine/../mine"), root.resolve("models")));
    }

    @Test
    void thePlanTokenIsGeneratedOnceOwnerOnlyAndKept() throws Exception {
        StackSecrets first = StackSecrets.createOrLoad(dir);
        Path file = dir.resolve("secrets/plan-token");
        assertTrue(Files.isRegularFile(file));
        assertFalse(first.planToken().isBlank());
        assertFalse(first.planToken().equals(first.readerToken())
                || first.planToken().equals(first.triggerToken()));
        assertEquals(
                java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertEquals(first.planToken(), StackSecrets.createOrLoad(dir).planToken());
    }
}
