package dev.tlab.dataset.source;

import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * Opens and validates a CIFAR-format folder. Every file must be present, every batch a whole number of records
 * (optionally exactly {@code recordsPerBatch}), every label a class index, and {@code batches.meta.txt} must name one
 * class per label value. Any problem is a {@link DatasetException}; nothing is returned half-read.
 *
 * <p>The fingerprint is the sha256 over, for each file in {@link CifarFormat#ALL_FILES} order: its name in UTF-8, a
 * zero byte, its length as 8 big-endian bytes and its content.
 */
public final class CifarReader {
    private CifarReader() {}

    /**
     * @param recordsPerBatch the exact record count each training and test batch must have (10,000 for the real
     *     CIFAR-10), or {@code null} to accept any positive count
     */
    public static CifarDataset open(Path folder, String dataset, boolean synthetic, Integer recordsPerBatch) {
        if (!Files.isDirectory(folder)) {
            throw new DatasetException("dataset folder " + folder + " does not exist");
        }
        for (String name : CifarFormat.ALL_FILES) {
            if (!Files.isRegularFile(folder.resolve(name))) {
                throw new DatasetException(
                        "dataset folder " + folder + " has no " + name + " (expected " + CifarFormat.ALL_FILES + ")");
            }
        }
        MessageDigest fingerprint = Checksums.sha256();
        int[] batchSizes = new int[CifarFormat.TRAIN_FILES.size()];
        long trainTotal = 0;
        for (int b = 0; b < batchSizes.length; b++) {
            batchSizes[b] = recordCount(folder.resolve(CifarFormat.TRAIN_FILES.get(b)), recordsPerBatch);
            trainTotal += batchSizes[b];
        }
        byte[] labels = new byte[Math.toIntExact(trainTotal)];
        int offset = 0;
        for (int b = 0; b < batchSizes.length; b++) {
            scan(folder.resolve(CifarFormat.TRAIN_FILES.get(b)), batchSizes[b], labels, offset, fingerprint, null);
            offset += batchSizes[b];
        }
        Path testFile = folder.resolve(CifarFormat.TEST_FILE);
        int testCount = recordCount(testFile, recordsPerBatch);
        MessageDigest testDigest = Checksums.sha256();
        scan(testFile, testCount, null, 0, fingerprint, testDigest);
        Path meta = folder.resolve(CifarFormat.META_FILE);
        byte[] metaBytes;
        try {
            metaBytes = Files.readAllBytes(meta);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        fingerprintHeader(fingerprint, CifarFormat.META_FILE, metaBytes.length);
        fingerprint.update(metaBytes);
        List<String> classNames = new String(metaBytes, StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        if (classNames.size() != CifarFormat.CLASSES) {
            throw new DatasetException(
                    meta + " names " + classNames.size() + " classes, expected " + CifarFormat.CLASSES);
        }
        return new CifarDataset(
                dataset,
                synthetic,
                folder.toAbsolutePath().normalize(),
                classNames,
                labels,
                batchSizes,
                testCount,
                Checksums.hex(fingerprint.digest()),
                Checksums.hex(testDigest.digest()));
    }

    private static int recordCount(Path file, Integer expected) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0 || size % CifarFormat.RECORD_BYTES != 0) {
            throw new DatasetException(file + " is truncated or corrupt: its size " + size
                    + " is not a positive multiple of " + CifarFormat.RECORD_BYTES
                    + " (1 label byte + 3072 pixel bytes per record)");
        }
        long count = size / CifarFormat.RECORD_BYTES;
        if (expected != null && count != expected) {
            throw new DatasetException(file + " has " + count + " records, expected " + expected);
        }
        return Math.toIntExact(count);
    }

    private static void scan(
            Path file, int count, byte[] labels, int labelOffset, MessageDigest fingerprint, MessageDigest fileDigest) {
        fingerprintHeader(fingerprint, file.getFileName().toString(), (long) count * CifarFormat.RECORD_BYTES);
        byte[] record = new byte[CifarFormat.RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(record, 0, record.length) != record.length) {
                    throw new DatasetException(file + " is truncated at record " + i);
                }
                int label = record[0] & 0xff;
                if (label >= CifarFormat.CLASSES) {
                    throw new DatasetException(file + " record " + i + " has label " + label + ", expected 0.."
                            + (CifarFormat.CLASSES - 1));
                }
                if (labels != null) {
                    labels[labelOffset + i] = (byte) label;
                }
                fingerprint.update(record);
                if (fileDigest != null) {
                    fileDigest.update(record);
                }
            }
            if (in.read() >= 0) {
                throw new DatasetException(file + " changed while it was read");
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void fingerprintHeader(MessageDigest fingerprint, String name, long length) {
        fingerprint.update(name.getBytes(StandardCharsets.UTF_8));
        fingerprint.update((byte) 0);
        fingerprint.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
    }
}
