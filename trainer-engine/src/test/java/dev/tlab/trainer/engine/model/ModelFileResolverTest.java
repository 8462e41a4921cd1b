package dev.tlab.trainer.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileResolverTest {

    @TempDir
    Path dir;

    @Test
    void localPathsAndFileUris() throws Exception {
        Path model = Files.writeString(dir.resolve("m.pt"), "x");
        ModelFileResolver r = new ModelFileResolver(dir.resolve("cache"), true);
        assertEquals(model, r.resolve(ModelSource.of(model.toString())));
        assertEquals(model, r.resolve(ModelSource.of(model.toUri().toString())));
    }

    @Test
    void checksumMismatchIsRejected() throws Exception {
        Path model = Files.writeString(dir.resolve("m.pt"), "x");
        ModelFileResolver r = new ModelFileResolver(dir.resolve("cache"), true);
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class, () -> r.resolve(new ModelSource(model.toString(), "0".repeat(64))));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        // sha256("x")
        String good = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        assertEquals(model, r.resolve(new ModelSource(model.toString(), good)));
    }

    @Test
    void offlineModeNeverDownloads() {
        ModelFileResolver r = new ModelFileResolver(dir.resolve("cache"), true);
        ModelUnavailableException e = assertThrows(
                ModelUnavailableException.class,
                () -> r.resolve(ModelSource.of("https://example.invalid/models/resnet18.pt")));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains("tlab.trainer.model-cache"), e.getMessage());
    }

    @Test
    void noModelConfigured() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelSource.of(" "));
        assertTrue(e.getMessage().contains("export_resnet18.py"), e.getMessage());
    }
}
