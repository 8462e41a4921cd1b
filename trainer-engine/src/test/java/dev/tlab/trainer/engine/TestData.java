package dev.tlab.trainer.engine;

import dev.tlab.datafiles.CifarRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/** Test fixtures: synthetic CIFAR-format records with learnable class patterns, and the shipped models. */
public final class TestData {

    private static Path fullModel;

    private TestData() {
    }

    /**
     * Synthetic records: class k has a dominant colour channel (k % 3), stripes whose orientation and
     * period depend on k, and seeded noise, so a small network can learn them.
     */
    public static byte[] syntheticCifar(int count, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] out = new byte[count * CifarRecords.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int label = i % classes;
            int base = i * CifarRecords.RECORD_BYTES;
            out[base] = (byte) label;
            int period = 2 + label / 2;
            boolean vertical = label % 2 == 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int stripe = ((vertical ? x : y) / period) % 2 == 0 ? 60 : 0;
                        int v = (c == label % 3 ? 150 : 50) + stripe + rng.nextInt(40);
                        out[base + 1 + c * 1024 + y * 32 + x] = (byte) Math.min(255, v);
                    }
                }
            }
        }
        return out;
    }

    static CifarRecords records(int count, long seed) {
        return CifarRecords.fromBytes(syntheticCifar(count, 10, seed));
    }

    public static Path narrowModel() {
        try {
            return Paths.get(TestData.class.getResource("/models/resnet18-narrow.pt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full-size constant-weight ResNet-18, shipped gzip-compressed (44 MB raw, 87 KB packed). */
    static synchronized Path fullModel() {
        if (fullModel == null) {
            try (InputStream in = new GZIPInputStream(
                    TestData.class.getResourceAsStream("/models/resnet18-full-constant.pt.gz"))) {
                Path dir = Files.createTempDirectory("tlab-full-model");
                Path file = dir.resolve("resnet18-full-constant.pt");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                fullModel = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fullModel;
    }
}
