package dev.tlab.dataset.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.SyntheticCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCifarTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        SyntheticCifar.generate(tmp.resolve("a"), 20, 4, 1);
        SyntheticCifar.generate(tmp.resolve("b"), 20, 4, 1);
        SyntheticCifar.generate(tmp.resolve("c"), 20, 4, 2);
        for (String name : CifarFormat.ALL_FILES) {
            assertArrayEquals(
                    Files.readAllBytes(tmp.resolve("a").resolve(name)),
                    Files.readAllBytes(tmp.resolve("b").resolve(name)),
                    name);
        }
        assertNotEquals(
                CifarReader.open(tmp.resolve("a"), "synthetic", true, null).fingerprint(),
                CifarReader.open(tmp.resolve("c"), "synthetic", true, null).fingerprint());
    }

    @Test
    void writesTheCifarBinaryLayoutAndSaysSynthetic() throws IOException {
        Path folder = tmp.resolve("s");
        SyntheticCifar.generate(folder, 30, 10, 0);
        for (String name : CifarFormat.TRAIN_FILES) {
            assertEquals(60L * CifarFormat.RECORD_BYTES, Files.size(folder.resolve(name)), name);
        }
        assertEquals(100L * CifarFormat.RECORD_BYTES, Files.size(folder.resolve(CifarFormat.TEST_FILE)));
        CifarDataset dataset = CifarReader.open(folder, "synthetic", true, null);
        assertArrayEquals(new int[] {30, 30, 30, 30, 30, 30, 30, 30, 30, 30}, dataset.classCounts());
        assertEquals(10, dataset.classNames().size());
        dataset.classNames().forEach(n -> assertTrue(n.startsWith("synthetic-"), n));
        assertEquals("synthetic-0-airplane", dataset.classNames().get(0));
    }

    /** The classes are learnable: a nearest-class-mean classifier on raw pixels beats chance by far. */
    @Test
    void classesAreLearnable() throws IOException {
        Path folder = tmp.resolve("l");
        SyntheticCifar.generate(folder, 30, 20, 5);
        double[][] means = new double[10][CifarFormat.IMAGE_BYTES];
        int[] counts = new int[10];
        for (String name : CifarFormat.TRAIN_FILES) {
            byte[] data = Files.readAllBytes(folder.resolve(name));
            for (int r = 0; r < data.length / CifarFormat.RECORD_BYTES; r++) {
                int off = r * CifarFormat.RECORD_BYTES;
                int label = data[off];
                counts[label]++;
                for (int p = 0; p < CifarFormat.IMAGE_BYTES; p++) {
                    means[label][p] += data[off + 1 + p] & 0xff;
                }
            }
        }
        // compare images by their mean colour per channel (stripe phases differ per image)
        double[][] colour = new double[10][3];
        for (int c = 0; c < 10; c++) {
            for (int p = 0; p < CifarFormat.IMAGE_BYTES; p++) {
                colour[c][p / 1024] += means[c][p] / counts[c] / 1024;
            }
        }
        byte[] test = Files.readAllBytes(folder.resolve(CifarFormat.TEST_FILE));
        int correct = 0;
        int total = test.length / CifarFormat.RECORD_BYTES;
        for (int r = 0; r < total; r++) {
            int off = r * CifarFormat.RECORD_BYTES;
            double[] mine = new double[3];
            for (int p = 0; p < CifarFormat.IMAGE_BYTES; p++) {
                mine[p / 1024] += (test[off + 1 + p] & 0xff) / 1024.0;
            }
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int ch = 0; ch < 3; ch++) {
                    d += (mine[ch] - colour[c][ch]) * (mine[ch] - colour[c][ch]);
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            if (best == test[off]) {
                correct++;
            }
        }
        double accuracy = correct / (double) total;
        assertTrue(accuracy > 0.5, "nearest-mean accuracy " + accuracy);
        assertTrue(accuracy < 1.0 || total < 50, "should not be trivially separable everywhere: " + accuracy);
    }
}
