package dev.tlab.dataset.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.dataset.testing.TestArchives;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path tmp;

    Path folder;

    @BeforeEach
    void makeFolder() {
        // 10 per class -> 100 training images -> 20 per batch; 2 test per class -> 20 test images
        folder = TestArchives.folder(tmp, 10, 2, 3);
    }

    @Test
    void opensAValidFolder() throws IOException {
        CifarDataset dataset = CifarReader.open(folder, "cifar10", false, 20);
        assertEquals(100, dataset.trainCount());
        assertEquals(20, dataset.testCount());
        assertEquals(Checksums.sha256Hex(folder.resolve(CifarFormat.TEST_FILE)), dataset.testDigest());
        assertEquals(64, dataset.fingerprint().length());
        assertEquals(CifarReader.open(folder, "cifar10", false, null).fingerprint(), dataset.fingerprint());
        // labels as stored: record 0 of batch 2 is index 20
        byte[] batch2 = Files.readAllBytes(folder.resolve("data_batch_2.bin"));
        assertEquals(batch2[0], dataset.trainLabels()[20]);
        assertEquals(batch2[0], (byte) dataset.label(20));
    }

    @Test
    void fingerprintChangesWithAnyByte() throws IOException {
        String before = CifarReader.open(folder, "cifar10", false, null).fingerprint();
        try (RandomAccessFile file =
                new RandomAccessFile(folder.resolve("data_batch_5.bin").toFile(), "rw")) {
            file.seek(100);
            int b = file.read();
            file.seek(100);
            file.write(b ^ 1);
        }
        assertNotEquals(before, CifarReader.open(folder, "cifar10", false, null).fingerprint());
    }

    @Test
    void truncatedFileIsAClearError() throws IOException {
        Path batch = folder.resolve("data_batch_3.bin");
        try (RandomAccessFile file = new RandomAccessFile(batch.toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }
        DatasetException e =
                assertThrows(DatasetException.class, () -> CifarReader.open(folder, "cifar10", false, null));
        assertTrue(e.getMessage().contains("data_batch_3.bin is truncated or corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("not a positive multiple of 3073"), e.getMessage());
    }

    @Test
    void badLabelIsAClearError() throws IOException {
        try (RandomAccessFile file =
                new RandomAccessFile(folder.resolve("test_batch.bin").toFile(), "rw")) {
            file.seek(3L * CifarFormat.RECORD_BYTES);
            file.write(10);
        }
        DatasetException e =
                assertThrows(DatasetException.class, () -> CifarReader.open(folder, "cifar10", false, null));
        assertTrue(e.getMessage().contains("test_batch.bin record 3 has label 10"), e.getMessage());
    }

    @Test
    void wrongRecordCountIsAClearError() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> CifarReader.open(folder, "cifar10", false, CifarFormat.REAL_RECORDS_PER_BATCH));
        assertTrue(e.getMessage().contains("has 20 records, expected 10000"), e.getMessage());
    }

    @Test
    void missingFileAndBadMetaAreClearErrors() throws IOException {
        Files.writeString(folder.resolve(CifarFormat.META_FILE), "a\nb\n");
        DatasetException meta =
                assertThrows(DatasetException.class, () -> CifarReader.open(folder, "cifar10", false, null));
        assertTrue(meta.getMessage().contains("names 2 classes, expected 10"), meta.getMessage());
        Files.delete(folder.resolve("data_batch_1.bin"));
        DatasetException missing =
                assertThrows(DatasetException.class, () -> CifarReader.open(folder, "cifar10", false, null));
        assertTrue(missing.getMessage().contains("has no data_batch_1.bin"), missing.getMessage());
    }

    @Test
    void servesRecordsInIndexOrder() throws IOException {
        CifarDataset dataset = CifarReader.open(folder, "cifar10", false, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dataset.writeTrainRecords(List.of(99, 0, 21), out);
        byte[] bytes = out.toByteArray();
        assertEquals(3 * CifarFormat.RECORD_BYTES, bytes.length);
        byte[] batch5 = Files.readAllBytes(folder.resolve("data_batch_5.bin"));
        byte[] batch2 = Files.readAllBytes(folder.resolve("data_batch_2.bin"));
        assertEquals(
                java.nio.ByteBuffer.wrap(batch5, 19 * CifarFormat.RECORD_BYTES, CifarFormat.RECORD_BYTES),
                java.nio.ByteBuffer.wrap(bytes, 0, CifarFormat.RECORD_BYTES));
        assertEquals(
                java.nio.ByteBuffer.wrap(batch2, CifarFormat.RECORD_BYTES, CifarFormat.RECORD_BYTES),
                java.nio.ByteBuffer.wrap(bytes, 2 * CifarFormat.RECORD_BYTES, CifarFormat.RECORD_BYTES));
        assertEquals(Checksums.hex(Checksums.sha256().digest(bytes)), dataset.trainDigest(List.of(99, 0, 21)));
    }
}
