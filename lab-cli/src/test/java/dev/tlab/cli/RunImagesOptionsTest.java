package dev.tlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code ./lab run --images} asks for and what it lets the local dataset service read (nothing else). */
class RunImagesOptionsTest {

    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    @Test
    void aFolderIsTheOnlyImageRootAndTheRequestNamesItAbsolutely(@TempDir Path home) throws Exception {
        Path folder = Files.createDirectories(home.resolve("photos"));
        RunCommand run = parse("--images", folder.toString(), "--test-fraction", "0.25", "--rejects", "fail");
        DatasetSpec dataset = run.imagesDataset();
        assertEquals(DatasetSpec.IMAGES, dataset.name());
        assertEquals(folder.toAbsolutePath().toString(), dataset.source().location());
        assertEquals(0.1, dataset.split().val());
        assertEquals(0.25, dataset.split().test());
        assertEquals(DatasetSpec.FAIL, dataset.rejects());
        assertEquals(folder.toAbsolutePath().toString(), run.datasetConfig().get("tlab.dataset.images.roots"));
    }

    @Test
    void anArchivesFolderIsTheRoot(@TempDir Path home) throws Exception {
        Path archive = Files.write(home.resolve("photos.tar.gz"), new byte[] {1});
        RunCommand run = parse("--images", archive.toString());
        assertEquals(home.toAbsolutePath().toString(), run.datasetConfig().get("tlab.dataset.images.roots"));
        assertEquals(DatasetSpec.SKIP, run.imagesDataset().rejects());
    }

    @Test
    void withoutImagesNoImageRootIsOpened() {
        assertNull(parse().datasetConfig().get("tlab.dataset.images.roots"));
    }

    @Test
    void aSplitThatLeavesNothingToTrainOnIsRefusedNamingTheField(@TempDir Path home) {
        RunCommand run = parse("--images", home.toString(), "--val-fraction", "0.5", "--test-fraction", "0.5");
        InvalidFieldException e = assertThrows(InvalidFieldException.class, run::imagesDataset);
        assertEquals("dataset.split", e.field());
    }
}
