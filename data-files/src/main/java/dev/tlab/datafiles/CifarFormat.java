package dev.tlab.datafiles;

import java.util.List;

/**
 * The CIFAR-10 binary format, defined once for the whole lab: the distribution ({@code cifar-10-binary.tar.gz}) is a
 * folder {@code cifar-10-batches-bin/} with five training batches, a test batch and the class names; a record is one
 * label byte followed by the 1,024 red, 1,024 green and 1,024 blue values of a 32x32 image, row-major. The dataset
 * service serves subsets as such records and the trainer reads them with {@link CifarRecords}.
 */
public final class CifarFormat {
    public static final String FOLDER = "cifar-10-batches-bin";
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";
    /** Every file of the folder, in the fixed order the source fingerprint hashes them. */
    public static final List<String> ALL_FILES = List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin",
            TEST_FILE,
            META_FILE);

    public static final int SIDE = 32;
    /** The values of one colour channel. */
    public static final int PLANE = SIDE * SIDE;

    public static final int IMAGE_BYTES = 3 * PLANE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final int CLASSES = 10;
    /** Records in each batch file of the real distribution. */
    public static final int REAL_RECORDS_PER_BATCH = 10_000;

    public static final List<String> CIFAR10_CLASS_NAMES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CifarFormat() {}
}
