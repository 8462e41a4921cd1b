package dev.tlab.images;

import dev.tlab.datafiles.Checksums;
import dev.tlab.images.ImageDatasetException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a dataset folder or archive once, as a stream: each image file is read (at most
 * {@link ScanLimits#maxFileBytes()} of it), digested, fully decoded on one of the decode threads, measured and dropped.
 * What stays is one {@link ScannedFile} or {@link Reject} per file; at most twice as many files as there are decode
 * threads are held at once, so memory stays bounded whatever the source holds.
 */
public final class ImageDatasetScanner {

    private final DatasetRoots roots;
    private final ScanLimits limits;
    private final int decodeThreads;
    private final ImageDecoder decoder;

    public ImageDatasetScanner(DatasetRoots roots, ScanLimits limits, int decodeThreads) {
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decodeThreads must be positive: " + decodeThreads);
        }
        this.roots = roots;
        this.limits = limits;
        this.decodeThreads = decodeThreads;
        this.decoder = new ImageDecoder(limits.maxImagePixels());
    }

    /**
     * What a scan does with the bytes of each image that decoded, on the decode thread, before the file is dropped: the
     * dataset service keeps them in its content-addressed store, so that the images it serves are the ones it checked.
     */
    @FunctionalInterface
    public interface ImageKeeper {
        void keep(ScannedFile file, byte[] bytes) throws IOException;
    }

    /** Resolves the location under the roots and scans it. */
    public ScannedDataset scan(String location, RejectPolicy policy) {
        return scan(roots.resolve(location), policy);
    }

    public ScannedDataset scan(DatasetLocation location, RejectPolicy policy) {
        return scan(location, policy, (file, bytes) -> {});
    }

    /** The scan, handing each image that decoded to {@code keeper}; a keeper that fails stops the scan. */
    public ScannedDataset scan(DatasetLocation location, RejectPolicy policy, ImageKeeper keeper) {
        ByteBudget budget = new ByteBudget(limits);
        String archiveSha256 = location.kind() == SourceKind.FOLDER ? null : Checksums.sha256Hex(location.path());
        Collector collector = new Collector();
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, runnable -> {
            Thread thread = new Thread(runnable, "image-scan-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Sink sink = new Sink(collector, pool, keeper);
            if (location.kind() == SourceKind.FOLDER) {
                new FolderSource(location.path(), roots, limits, budget).read(sink);
            } else {
                new ArchiveSource(location.path(), location.kind(), limits, budget).read(sink);
            }
            pool.shutdown();
            awaitQuietly(pool);
        } finally {
            pool.shutdownNow();
        }
        ImageDatasetException failure = collector.failure.get();
        if (failure != null) {
            throw failure;
        }
        List<Reject> rejects = sorted(collector.rejects, Comparator.comparing(Reject::path, CodePoints.ORDER));
        checkRejects(rejects, policy);
        return new ScannedDataset(
                location,
                archiveSha256,
                sorted(collector.images, Comparator.comparing(ScannedFile::path, CodePoints.ORDER)),
                rejects,
                sorted(collector.folders, CodePoints.ORDER),
                collector.ignored(),
                budget.used(),
                collector.pixels.get());
    }

    /**
     * Applies the reject policy to a scan's rejects (e.g. of a scan kept from earlier, made with {@code skip}).
     *
     * @throws ImageDatasetException ({@link Problem#REJECTED_IMAGES}, naming the first reject) under {@code fail} when
     *     there is any
     */
    public static void checkRejects(List<Reject> rejects, RejectPolicy policy) {
        if (policy == RejectPolicy.FAIL && !rejects.isEmpty()) {
            throw rejected(rejects);
        }
    }

    private static ImageDatasetException rejected(List<Reject> rejects) {
        StringBuilder text = new StringBuilder(rejects.size() + " image file(s) cannot be used (policy fail): ");
        for (int i = 0; i < Math.min(10, rejects.size()); i++) {
            text.append(i == 0 ? "" : "; ").append(rejects.get(i).describe());
        }
        if (rejects.size() > 10) {
            text.append("; and ").append(rejects.size() - 10).append(" more");
        }
        return new ImageDatasetException(Problem.REJECTED_IMAGES, rejects.get(0).path(), text.toString());
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private static void awaitQuietly(ExecutorService pool) {
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                // a decode is still running; images are bounded in pixels, so it ends
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageDatasetException(Problem.UNREADABLE, "", "the scan was interrupted", e);
        }
    }

    private static <T> List<T> sorted(List<T> items, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return List.copyOf(copy);
    }

    /** What the decode threads and the reading thread add to. */
    private final class Collector {
        final List<ScannedFile> images = Collections.synchronizedList(new ArrayList<>());
        final List<Reject> rejects = Collections.synchronizedList(new ArrayList<>());
        final List<String> folders = new ArrayList<>();
        final Map<IgnoreReason, TreeSet<String>> ignoredExamples = new EnumMap<>(IgnoreReason.class);
        final Map<IgnoreReason, Integer> ignoredCounts = new EnumMap<>(IgnoreReason.class);
        final AtomicLong pixels = new AtomicLong();
        final AtomicReference<ImageDatasetException> failure = new AtomicReference<>();

        void ignore(String path, IgnoreReason reason) {
            ignoredCounts.merge(reason, 1, Integer::sum);
            TreeSet<String> examples = ignoredExamples.computeIfAbsent(reason, r -> new TreeSet<>(CodePoints.ORDER));
            examples.add(path);
            if (examples.size() > IgnoredFiles.EXAMPLES) {
                examples.pollLast();
            }
        }

        List<IgnoredFiles> ignored() {
            List<IgnoredFiles> list = new ArrayList<>();
            ignoredCounts.forEach((reason, count) ->
                    list.add(new IgnoredFiles(reason, count, List.copyOf(ignoredExamples.get(reason)))));
            return List.copyOf(list);
        }
    }

    private final class Sink implements EntrySink {
        private final Collector collector;
        private final ExecutorService pool;
        private final ImageKeeper keeper;
        private final Semaphore inFlight = new Semaphore(2 * decodeThreads);

        Sink(Collector collector, ExecutorService pool, ImageKeeper keeper) {
            this.collector = collector;
            this.pool = pool;
            this.keeper = keeper;
        }

        @Override
        public void folder(String path) {
            collector.folders.add(path);
        }

        @Override
        public void file(String path, long declaredSize, InputStream content) {
            ImageDatasetException failure = collector.failure.get();
            if (failure != null) {
                throw failure;
            }
            if (declaredSize > limits.maxFileBytes()) {
                collector.rejects.add(tooLarge(path, declaredSize));
                return;
            }
            byte[] bytes;
            try {
                bytes = readAtMost(content, limits.maxFileBytes());
            } catch (IOException e) {
                collector.rejects.add(new Reject(path, RejectReason.UNREADABLE_ENTRY, String.valueOf(e.getMessage())));
                return;
            }
            if (bytes == null) {
                collector.rejects.add(tooLarge(path, -1));
                return;
            }
            inFlight.acquireUninterruptibly();
            pool.execute(() -> {
                try {
                    decode(path, bytes);
                } finally {
                    inFlight.release();
                }
            });
        }

        private void decode(String path, byte[] bytes) {
            try {
                DecodedImage decoded = decoder.decode(bytes);
                RgbImage image = decoded.image();
                long total = collector.pixels.addAndGet((long) image.width() * image.height());
                if (total > limits.maxTotalPixels()) {
                    collector.failure.compareAndSet(
                            null,
                            ImageDatasetException.limit(
                                    ScanLimits.Limit.MAX_TOTAL_PIXELS, limits, "the dataset's images hold"));
                    return;
                }
                ScannedFile file = new ScannedFile(
                        path,
                        Checksums.sha256Hex(bytes),
                        bytes.length,
                        image.width(),
                        image.height(),
                        decoded.format(),
                        decoded.exifOrientation(),
                        decoded.pilExact());
                keeper.keep(file, bytes);
                collector.images.add(file);
            } catch (ImageRejectedException e) {
                collector.rejects.add(new Reject(path, e.reason(), e.detail()));
            } catch (IOException | RuntimeException e) {
                collector.failure.compareAndSet(
                        null,
                        new ImageDatasetException(
                                Problem.UNREADABLE, path, "'" + path + "' could not be kept: " + e.getMessage(), e));
            }
        }

        private Reject tooLarge(String path, long size) {
            return new Reject(
                    path,
                    RejectReason.TOO_MANY_BYTES,
                    (size >= 0 ? String.format(java.util.Locale.ROOT, "%,d bytes, ", size) : "")
                            + "more than "
                            + ScanLimits.Limit.MAX_FILE_BYTES.describe(limits.maxFileBytes()));
        }

        @Override
        public void unreadable(String path, String detail) {
            collector.rejects.add(new Reject(path, RejectReason.UNREADABLE_ENTRY, detail));
        }

        @Override
        public void ignored(String path, IgnoreReason reason) {
            collector.ignore(path, reason);
        }
    }

    /** The whole stream if it has at most {@code max} bytes, else null (having read max + 1 of them). */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return bytes.length > max ? null : bytes;
    }
}
