package dev.tlab.dataset.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tlab.contracts.DatasetSource;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.DatasetDescription;
import dev.tlab.images.DatasetLocation;
import dev.tlab.images.DatasetPlanner;
import dev.tlab.images.DatasetRequest;
import dev.tlab.images.DatasetRoots;
import dev.tlab.images.ImageDatasetException;
import dev.tlab.images.ImageDatasetScanner;
import dev.tlab.images.RejectPolicy;
import dev.tlab.images.ScanLimits;
import dev.tlab.images.ScannedDataset;
import dev.tlab.images.ScannedFile;
import dev.tlab.images.SourceKind;
import dev.tlab.images.SubsetRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Where a request's images come from, and what they are: the source found (a folder or archive under the image roots, a
 * downloaded archive, an uploaded one), scanned once per content and limits (every image decoded, its bytes kept in the
 * {@link ImageStore}), and split for the request ({@link DatasetPlanner}). Every refusal is an {@link ApiException}
 * naming the request field ({@link ImageErrors}).
 *
 * <p>Memory: one scan at a time, whatever the number of requests, each bounded by {@link ScanLimits}; a scan's result
 * (about 300 bytes a file) is kept on disk ({@code scans/}) and for the last few sources in memory.
 */
public final class ImageSources {
    private static final Logger LOG = Logger.getLogger(ImageSources.class);
    private static final int SCANS_IN_MEMORY = 8;

    /**
     * @param roots the folders {@code dataset.source.location} may name (empty: none)
     * @param maxClasses the most classes a dataset may have (the manifest carries the class map)
     */
    public record Settings(List<Path> roots, ScanLimits limits, int decodeThreads, int maxClasses) {
        public Settings {
            roots = List.copyOf(roots);
        }
    }

    /**
     * A source found: where its bytes are, the roots its folder links must stay in, a key of its content (null: not
     * kept), and the request field it came from.
     */
    record Located(DatasetLocation location, DatasetRoots roots, String contentKey, String field) {}

    private final Settings settings;
    private final ImageStore store;
    private final ArchiveDownloads downloads;
    private final ReentrantLock scanning = new ReentrantLock();
    private final Map<String, ScannedDataset> recent =
            Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ScannedDataset> eldest) {
                    return size() > SCANS_IN_MEMORY;
                }
            });
    private final Set<String> checkedArchives = ConcurrentHashMap.newKeySet();

    public ImageSources(Settings settings, ImageStore store, ArchiveDownloads downloads) {
        this.settings = settings;
        this.store = store;
        this.downloads = downloads;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The request's images, scanned and split for it.
     *
     * @throws ApiException naming the field when the source cannot be used
     */
    public PlannedImages plan(DatasetSpec spec, SubsetPolicy subset) {
        Located located = locate(spec.source());
        try {
            ScannedDataset scan = scan(located);
            ImageDatasetScanner.checkRejects(
                    scan.rejects(), spec.failOnRejects() ? RejectPolicy.FAIL : RejectPolicy.SKIP);
            DatasetDescription description = DatasetPlanner.plan(scan, request(spec, subset));
            int classes = description.classes().size();
            if (classes > settings.maxClasses()) {
                throw new ApiException(
                        413,
                        located.field(),
                        "the dataset has " + classes + " classes, more than " + settings.maxClasses() + " ("
                                + ImageErrors.KEY_PREFIX + "max-classes of the dataset service)");
            }
            return new PlannedImages(spec, subset, description, fingerprint(scan));
        } catch (ImageDatasetException e) {
            throw ImageErrors.of(e, located.field());
        }
    }

    /** An uploaded archive's scan (for its summary), scanned now if it never was. */
    public ScannedDataset uploaded(String id) {
        Located located = locate(DatasetSource.upload(id));
        try {
            return scan(located);
        } catch (ImageDatasetException e) {
            throw ImageErrors.of(e, "body");
        }
    }

    /** Scans a newly stored upload; a source that cannot be read is not kept (its archive is removed). */
    ScannedDataset scanNewUpload(String id, Path archive) {
        try {
            return uploaded(id);
        } catch (ApiException e) {
            if (e.status() / 100 == 4) {
                deleteQuietly(archive);
            }
            throw e;
        }
    }

    Located locate(DatasetSource source) {
        if (source.location() != null) {
            return local(source.location());
        }
        if (source.url() != null) {
            Path archive = downloads.fetch(source.url(), source.sha256());
            return archiveIn(archive, source.url(), source.sha256(), "dataset.source.url");
        }
        Path archive = store.archive(source.upload())
                .orElseThrow(() -> new ApiException(
                        400,
                        "dataset.source.upload",
                        "no uploaded dataset " + source.upload() + " on this dataset service; upload the archive with"
                                + " POST /datasets (./lab dataset upload DIR|ARCHIVE prints its id)"));
        return archiveIn(archive, "upload:" + source.upload(), source.upload(), "dataset.source.upload");
    }

    private Located local(String location) {
        String field = "dataset.source.location";
        // roots that do not exist (yet) hold nothing to read; they are looked at again for every request
        List<Path> existing =
                settings.roots().stream().filter(Files::isDirectory).toList();
        if (existing.isEmpty()) {
            throw new ApiException(
                    400,
                    field,
                    "this dataset service reads no image folders (" + ImageErrors.KEY_PREFIX + "roots "
                            + (settings.roots().isEmpty() ? "is empty" : settings.roots() + " do not exist")
                            + "); upload the dataset with POST /datasets (./lab dataset upload) and name it by"
                            + " dataset.source.upload");
        }
        DatasetRoots roots = new DatasetRoots(existing);
        DatasetLocation resolved;
        try {
            resolved = roots.resolve(location);
        } catch (ImageDatasetException e) {
            throw ImageErrors.of(e, field);
        }
        if (resolved.kind() == SourceKind.FOLDER) {
            String stamp = folderStamp(resolved.path()).orElse(null);
            return new Located(
                    resolved, roots, stamp == null ? null : "folder " + resolved.path() + " " + stamp, field);
        }
        return new Located(resolved, roots, "archive " + Checksums.sha256Hex(resolved.path()), field);
    }

    /** A stored archive, checked once per process against the sha256 it is named by. */
    private Located archiveIn(Path archive, String given, String sha256, String field) {
        if (!checkedArchives.contains(sha256)) {
            String actual = Checksums.sha256Hex(archive);
            if (!actual.equals(sha256)) {
                deleteQuietly(archive);
                throw new ApiException(
                        503,
                        field,
                        "the stored archive " + archive + " is damaged (sha256 " + actual + "); it was removed: upload"
                                + " or name it again");
            }
            checkedArchives.add(sha256);
        }
        SourceKind kind = SourceKind.archiveOf(archive.getFileName().toString()).orElseThrow();
        // an archive is read as one stream, never resolved under roots; the scanner still wants one
        return new Located(
                new DatasetLocation(given, archive, kind),
                new DatasetRoots(List.of(created(store.root()))),
                "archive " + sha256,
                field);
    }

    /**
     * The scan of a source: from memory or disk when its content and the limits are the same and every image it kept is
     * still in the store, else scanned now (one scan at a time).
     */
    ScannedDataset scan(Located located) {
        String key = located.contentKey() == null
                ? null
                : Checksums.sha256Hex(located.contentKey() + "\n" + settings.limits());
        scanning.lock();
        try {
            if (key != null) {
                Optional<ScannedDataset> kept = kept(key);
                if (kept.isPresent()) {
                    ScannedDataset scan = kept.get();
                    return new ScannedDataset(
                            located.location(),
                            scan.archiveSha256(),
                            scan.images(),
                            scan.rejects(),
                            scan.folders(),
                            scan.ignored(),
                            scan.bytesRead(),
                            scan.pixels());
                }
            }
            long started = System.nanoTime();
            ScannedDataset scan = new ImageDatasetScanner(located.roots(), settings.limits(), settings.decodeThreads())
                    .scan(located.location(), RejectPolicy.SKIP, (file, bytes) -> store.keep(file.sha256(), bytes));
            LOG.infof(
                    "scanned %s in %.1f s: %d images, %d rejected, %,d bytes read",
                    located.location().given(),
                    (System.nanoTime() - started) / 1e9,
                    scan.images().size(),
                    scan.rejects().size(),
                    scan.bytesRead());
            if (key != null) {
                remember(key, scan);
            }
            return scan;
        } finally {
            scanning.unlock();
        }
    }

    private Optional<ScannedDataset> kept(String key) {
        ScannedDataset scan = recent.get(key);
        if (scan == null) {
            Path file = store.scan(key);
            if (Files.isRegularFile(file)) {
                try {
                    scan = EventCodec.mapper().readValue(file.toFile(), ScannedDataset.class);
                } catch (IOException e) {
                    LOG.warnf(
                            "the kept scan %s cannot be read (%s); the source is scanned again", file, e.getMessage());
                }
            }
        }
        if (scan == null) {
            return Optional.empty();
        }
        for (ScannedFile image : scan.images()) {
            if (!store.has(image.sha256())) {
                LOG.warnf("image %s of a kept scan is gone from the store; the source is scanned again", image.path());
                return Optional.empty();
            }
        }
        recent.put(key, scan);
        return Optional.of(scan);
    }

    private void remember(String key, ScannedDataset scan) {
        recent.put(key, scan);
        try {
            AtomicFiles.writeBytes(store.scan(key), EventCodec.mapper().writeValueAsBytes(scan));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a scan as JSON", e);
        }
    }

    private static DatasetRequest request(DatasetSpec spec, SubsetPolicy subset) {
        SubsetRule rule = SubsetRule.ofLabel(subset.name()).orElseThrow();
        return new DatasetRequest(
                spec.split().val(),
                spec.split().test(),
                spec.split().seed(),
                rule,
                subset.samplesPerClass() == null ? 0 : subset.samplesPerClass(),
                subset.seed());
    }

    /** The archive's sha256, or for a folder the sha256 of its images' paths and digests in path order. */
    private static String fingerprint(ScannedDataset scan) {
        if (scan.archiveSha256() != null) {
            return scan.archiveSha256();
        }
        MessageDigest digest = Checksums.sha256();
        for (ScannedFile image : scan.images()) {
            digest.update((image.path() + "\t" + image.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Checksums.hex(digest.digest());
    }

    /**
     * Size and modification time of every file under a folder, digested: a cheap sign that the folder changed since its
     * kept scan (then it is scanned again). Empty for a folder with more entries than a scan may read (the scan then
     * refuses it).
     */
    private Optional<String> folderStamp(Path folder) {
        List<String> lines = new ArrayList<>();
        int max = settings.limits().maxFiles();
        try {
            Files.walkFileTree(
                    folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            lines.add(folder.relativize(file) + "\t" + attrs.size() + "\t"
                                    + attrs.lastModifiedTime().toMillis());
                            return lines.size() > max ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            lines.add(folder.relativize(file) + "\tunreadable");
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() > max) {
            return Optional.empty();
        }
        Collections.sort(lines);
        return Optional.of(Checksums.sha256Hex(String.join("\n", lines)));
    }

    private static Path created(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the image store " + folder, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", file, e.getMessage());
        }
    }
}
