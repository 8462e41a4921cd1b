package dev.tlab.dataset.source;

import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated CIFAR-format folder: the labels of the concatenated training batches are kept in memory, the images stay
 * on disk and are read when served.
 *
 * @param dataset {@code cifar10} or {@code synthetic}
 * @param fingerprint sha256 over the folder's files in {@link CifarFormat#ALL_FILES} order (see {@link CifarReader})
 * @param batchSizes records in each training batch, in order
 * @param testDigest sha256 of {@code test_batch.bin}, i.e. of the test records as served
 */
public record CifarDataset(
        String dataset,
        boolean synthetic,
        Path folder,
        List<String> classNames,
        byte[] trainLabels,
        int[] batchSizes,
        int testCount,
        String fingerprint,
        String testDigest)
        implements ResolvedDataset {

    @Override
    public Integer numClasses() {
        return null;
    }

    public int trainCount() {
        return trainLabels.length;
    }

    public int label(int index) {
        return trainLabels[index];
    }

    /** Images available per class in the training batches. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (byte label : trainLabels) {
            counts[label]++;
        }
        return counts;
    }

    public Path testFile() {
        return folder.resolve(CifarFormat.TEST_FILE);
    }

    public long testBytes() {
        return (long) testCount * CifarFormat.RECORD_BYTES;
    }

    /** Writes the training records at {@code indices} (into the concatenated batches), in that order. */
    public void writeTrainRecords(List<Integer> indices, OutputStream out) throws IOException {
        List<FileChannel> channels = new ArrayList<>();
        try {
            for (String name : CifarFormat.TRAIN_FILES) {
                channels.add(FileChannel.open(folder.resolve(name), StandardOpenOption.READ));
            }
            ByteBuffer buffer = ByteBuffer.allocate(CifarFormat.RECORD_BYTES);
            for (int index : indices) {
                if (index < 0 || index >= trainLabels.length) {
                    throw new IllegalArgumentException("index " + index + " outside 0.." + (trainLabels.length - 1));
                }
                int batch = 0;
                int local = index;
                while (local >= batchSizes[batch]) {
                    local -= batchSizes[batch++];
                }
                buffer.clear();
                long position = (long) local * CifarFormat.RECORD_BYTES;
                FileChannel channel = channels.get(batch);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException("unexpected end of " + CifarFormat.TRAIN_FILES.get(batch)
                                + " (the folder changed after it was validated)");
                    }
                }
                out.write(buffer.array(), 0, CifarFormat.RECORD_BYTES);
            }
        } finally {
            for (FileChannel channel : channels) {
                channel.close();
            }
        }
    }

    public void writeTestRecords(OutputStream out) throws IOException {
        Files.copy(testFile(), out);
    }

    /** sha256 of the training records at {@code indices}, in that order, as {@link #writeTrainRecords} writes them. */
    public String trainDigest(List<Integer> indices) {
        Checksums.DigestSink sink = new Checksums.DigestSink();
        try {
            writeTrainRecords(indices, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.hex();
    }
}
