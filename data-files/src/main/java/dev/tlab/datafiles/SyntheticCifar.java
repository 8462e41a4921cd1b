package dev.tlab.datafiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a synthetic dataset in the CIFAR-10 binary format: five training batches, a test batch and
 * {@code batches.meta.txt}. Each class has its own mean colour and stripe orientation and frequency; every image adds a
 * random stripe phase, brightness and Gaussian pixel noise, so the classes are learnable but not trivial. The output is
 * a pure function of (images per class, test images per class, seed): {@link Random} is specified to give the same
 * sequence on every JVM.
 */
public final class SyntheticCifar {
    /** Class names of the synthetic set; they say what they are, so nobody mistakes them for CIFAR-10's. */
    public static final String CLASS_PREFIX = "synthetic-";

    private SyntheticCifar() {}

    public static String className(int label) {
        return CLASS_PREFIX + label + "-" + CifarFormat.CIFAR10_CLASS_NAMES.get(label);
    }

    /** Generates into {@code folder} (which must not exist yet). */
    public static void generate(Path folder, int imagesPerClass, int testImagesPerClass, long seed) {
        if (imagesPerClass < 1 || testImagesPerClass < 1) {
            throw new IllegalArgumentException("images per class must be at least 1");
        }
        Random random = new Random(seed);
        try {
            Files.createDirectories(folder);
            int[] trainLabels = shuffledLabels(imagesPerClass, random);
            int batches = CifarFormat.TRAIN_FILES.size();
            for (int b = 0; b < batches; b++) {
                int from = (int) ((long) trainLabels.length * b / batches);
                int to = (int) ((long) trainLabels.length * (b + 1) / batches);
                writeBatch(folder.resolve(CifarFormat.TRAIN_FILES.get(b)), trainLabels, from, to, random);
            }
            int[] testLabels = shuffledLabels(testImagesPerClass, random);
            writeBatch(folder.resolve(CifarFormat.TEST_FILE), testLabels, 0, testLabels.length, random);
            StringBuilder meta = new StringBuilder();
            for (int c = 0; c < CifarFormat.CLASSES; c++) {
                meta.append(className(c)).append('\n');
            }
            meta.append('\n');
            Files.writeString(folder.resolve(CifarFormat.META_FILE), meta, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic dataset to " + folder, e);
        }
    }

    /**
     * {@code count} records in memory, the classes in turn (record i has label i % 10), drawn as {@link #generate}
     * draws them: for tests, benchmarks and the GPU check, which need images in the trainer's input format.
     */
    public static byte[] records(int count, long seed) {
        Random random = new Random(seed);
        byte[] out = new byte[count * CifarFormat.RECORD_BYTES];
        byte[] record = new byte[CifarFormat.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            render(i % CifarFormat.CLASSES, random, record);
            System.arraycopy(record, 0, out, i * CifarFormat.RECORD_BYTES, record.length);
        }
        return out;
    }

    /** Training records per batch for a generated dataset. */
    public static int[] batchSizes(int imagesPerClass) {
        int total = imagesPerClass * CifarFormat.CLASSES;
        int batches = CifarFormat.TRAIN_FILES.size();
        int[] sizes = new int[batches];
        for (int b = 0; b < batches; b++) {
            sizes[b] = (int) ((long) total * (b + 1) / batches - (long) total * b / batches);
        }
        return sizes;
    }

    private static int[] shuffledLabels(int perClass, Random random) {
        int[] labels = new int[perClass * CifarFormat.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CifarFormat.CLASSES;
        }
        for (int i = labels.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    private static void writeBatch(Path file, int[] labels, int from, int to, Random random) throws IOException {
        byte[] record = new byte[CifarFormat.RECORD_BYTES];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = from; i < to; i++) {
                render(labels[i], random, record);
                out.write(record);
            }
        }
    }

    /** One image of class {@code label}: 1 label byte, then the red, green and blue planes, row-major. */
    static void render(int label, Random random, byte[] record) {
        record[0] = (byte) label;
        double angle = Math.PI * label / CifarFormat.CLASSES;
        double frequency = 0.35 + 0.15 * (label % 3);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double phase = random.nextDouble() * 2 * Math.PI;
        double brightness = 0.85 + 0.3 * random.nextDouble();
        int side = CifarFormat.SIDE;
        for (int channel = 0; channel < 3; channel++) {
            double base = 60 + 140 * (((label * 7 + channel * 3) % 10) / 9.0);
            double amplitude = 30 + 10 * channel;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double stripe = Math.sin(frequency * (x * cos + y * sin) + phase);
                    double value = brightness * base + amplitude * stripe + 18 * random.nextGaussian();
                    int v = (int) Math.round(Math.max(0, Math.min(255, value)));
                    record[1 + channel * side * side + y * side + x] = (byte) v;
                }
            }
        }
    }
}
