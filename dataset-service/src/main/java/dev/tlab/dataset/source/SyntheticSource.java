package dev.tlab.dataset.source;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.SyntheticCifar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The synthetic dataset: generated once per (images per class, test images per class, seed) under
 * {@code <data-dir>/synthetic/}, aside and then moved into place, and found there afterwards. Everything built from it
 * says {@code synthetic}, so that nobody mistakes it for CIFAR-10.
 */
final class SyntheticSource {
    private static final Logger LOG = Logger.getLogger(SyntheticSource.class);

    /** What became of the folder: made now from the seeded generator, or found from an earlier run. */
    record Opened(CifarDataset dataset, boolean generated) {}

    private final Path folder;
    private final int imagesPerClass;
    private final int testImagesPerClass;
    private final long seed;

    SyntheticSource(Path dataDir, int imagesPerClass, int testImagesPerClass, long seed) {
        this.imagesPerClass = imagesPerClass;
        this.testImagesPerClass = testImagesPerClass;
        this.seed = seed;
        this.folder = dataDir.resolve("synthetic")
                .resolve("ipc" + imagesPerClass + "-test" + testImagesPerClass + "-seed" + seed)
                .resolve(CifarFormat.FOLDER);
    }

    /** Generates the folder unless it is there, then opens it. */
    Opened open() {
        boolean generated = !Files.isDirectory(folder);
        if (generated) {
            LOG.infof(
                    "generating the SYNTHETIC dataset (%d images per class, %d test images per class, seed %d) in %s"
                            + " - this is not CIFAR-10",
                    imagesPerClass, testImagesPerClass, seed, folder);
            Path temp = folder.resolveSibling(".tmp-" + UUID.randomUUID());
            try {
                SyntheticCifar.generate(temp, imagesPerClass, testImagesPerClass, seed);
                CifarArchives.moveIntoPlace(temp, folder);
            } finally {
                CifarArchives.deleteQuietly(temp);
            }
        }
        return new Opened(CifarReader.open(folder, DatasetSpec.SYNTHETIC, true, null), generated);
    }

    /** Refuses a folder whose class sizes are not the configured ones (made with other settings, or changed). */
    CifarDataset checked(CifarDataset dataset) {
        for (int count : dataset.classCounts()) {
            if (count != imagesPerClass) {
                throw new DatasetException("the synthetic dataset in " + folder + " does not match its settings ("
                        + count + " images in a class, expected " + imagesPerClass + "); delete the folder to"
                        + " regenerate it");
            }
        }
        LOG.infof(
                "using the SYNTHETIC dataset in %s (%d training, %d test images, fingerprint %s)",
                folder, dataset.trainCount(), dataset.testCount(), dataset.fingerprint());
        return dataset;
    }
}
