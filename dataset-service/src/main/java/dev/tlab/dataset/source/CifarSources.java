package dev.tlab.dataset.source;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.VerifiedDownload;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Where a request's dataset comes from, and that it is still the one verified: the resolution order below, the folders
 * opened so far (each pinned to its fingerprint in {@link SourcePins} and stamped with {@link FolderStamp}), and their
 * verification before a manifest vouches for them. Everything is kept under the data folder:
 *
 * <ul>
 *   <li>{@code cifar10}: a configured folder, else {@code <data-dir>/cifar-10-batches-bin}, else a configured archive,
 *       else a download from the configured URL, else {@code <data-dir>/cifar-10-binary.tar.gz} (the archive checks and
 *       the unpacking are {@link CifarArchives}'s);
 *   <li>a request's {@code dataset.location} (only with {@code tlab.dataset.allow-request-location}): an http(s) URL, a
 *       folder or an archive;
 *   <li>{@code synthetic}: {@link SyntheticSource}.
 * </ul>
 */
public final class CifarSources {
    private static final Logger LOG = Logger.getLogger(CifarSources.class);

    /** Everything the sources are configured with (see application.properties for each key). */
    public record Settings(
            Path dataDir,
            Optional<Path> cifarFolder,
            Optional<Path> cifarArchive,
            Optional<URI> cifarUrl,
            Optional<String> cifarMd5,
            int cifarRecordsPerBatch,
            Duration downloadTimeout,
            int syntheticImagesPerClass,
            int syntheticTestImagesPerClass,
            long syntheticSeed,
            boolean allowRequestLocation) {}

    private final Settings settings;
    private final CifarArchives archives;
    private final SyntheticSource syntheticSource;
    private final SourcePins pins;
    private final Map<String, CifarDataset> resolved = new ConcurrentHashMap<>();
    private final Map<Path, CifarDataset> opened = new ConcurrentHashMap<>();
    private final Map<Path, FolderStamp> stamps = new ConcurrentHashMap<>();

    public CifarSources(Settings settings) {
        this.settings = settings;
        this.pins = new SourcePins(settings.dataDir().resolve("source-fingerprints.properties"));
        this.archives = new CifarArchives(
                settings.cifarMd5(),
                settings.cifarRecordsPerBatch(),
                settings.downloadTimeout(),
                VerifiedDownload.withDefaultClient());
        this.syntheticSource = new SyntheticSource(
                settings.dataDir(),
                settings.syntheticImagesPerClass(),
                settings.syntheticTestImagesPerClass(),
                settings.syntheticSeed());
    }

    public Settings settings() {
        return settings;
    }

    /** The dataset a request names, fetched and validated on first use and cached afterwards. */
    public synchronized CifarDataset resolve(DatasetSpec spec) {
        String key = spec.name() + "|" + (spec.location() == null ? "" : spec.location());
        CifarDataset cached = resolved.get(key);
        if (cached != null && FolderStamp.of(cached.folder()).equals(stamps.get(cached.folder()))) {
            return cached;
        }
        if (cached != null) {
            forget(cached.folder()); // a file changed since it was verified: verify it again, in full
        }
        CifarDataset dataset;
        if (spec.location() != null) {
            if (!settings.allowRequestLocation()) {
                throw new DatasetException(
                        "dataset.location",
                        "requests may not choose the dataset location on this"
                                + " service (set tlab.dataset.allow-request-location=true to allow it)",
                        null);
            }
            if (spec.synthetic()) {
                throw new DatasetException("dataset.location", "the synthetic dataset has no location", null);
            }
            try {
                dataset = cifarFromLocation(spec.location());
            } catch (DatasetException e) {
                throw e.blaming("dataset.location");
            }
        } else if (spec.synthetic()) {
            dataset = synthetic();
        } else {
            dataset = cifarConfigured();
        }
        resolved.put(key, dataset);
        opened.put(dataset.folder(), dataset);
        return dataset;
    }

    /** Re-opens the folder a stored manifest was built from (after a restart), validated against its pin, cached. */
    public CifarDataset openFolder(Path folder, String dataset, boolean synthetic) {
        Path key = folder.toAbsolutePath().normalize();
        return opened.computeIfAbsent(
                key,
                f -> checked(
                        CifarReader.open(f, dataset, synthetic, synthetic ? null : settings.cifarRecordsPerBatch())));
    }

    /**
     * Reads the whole folder again now and refuses it unless its fingerprint is still the one it was verified with:
     * what was just read from it (e.g. a new manifest's subset) came from intact files.
     */
    public void verify(CifarDataset dataset) {
        CifarDataset now;
        try {
            now = CifarReader.open(
                    dataset.folder(),
                    dataset.dataset(),
                    dataset.synthetic(),
                    dataset.synthetic() ? null : settings.cifarRecordsPerBatch());
            pins.checkOrPin(now);
        } catch (DatasetException e) {
            forget(dataset.folder());
            throw e;
        }
        if (!now.fingerprint().equals(dataset.fingerprint())) {
            forget(dataset.folder());
            throw new DatasetException("the dataset in " + dataset.folder() + " changed while it was in use (sha256"
                    + " fingerprint now " + now.fingerprint() + ", verified " + dataset.fingerprint() + ")");
        }
    }

    /** Drops what is cached of a folder, so that its next use opens and verifies it again. */
    private void forget(Path folder) {
        resolved.values().removeIf(d -> d.folder().equals(folder));
        opened.remove(folder);
        stamps.remove(folder);
    }

    /** Checks a freshly opened folder against its pin (pinning it on first use) and stamps it. */
    private CifarDataset checked(CifarDataset dataset) {
        FolderStamp stamp = FolderStamp.of(dataset.folder());
        pins.checkOrPin(dataset);
        stamps.put(dataset.folder(), stamp);
        return dataset;
    }

    /** Pins a folder that was just made from a verified source (unpacked, generated) and stamps it. */
    private CifarDataset pinned(CifarDataset dataset) {
        FolderStamp stamp = FolderStamp.of(dataset.folder());
        pins.pin(dataset);
        stamps.put(dataset.folder(), stamp);
        return dataset;
    }

    private CifarDataset synthetic() {
        SyntheticSource.Opened opened = syntheticSource.open();
        return syntheticSource.checked(opened.generated() ? pinned(opened.dataset()) : checked(opened.dataset()));
    }

    // ---------------------------------------------------------------- cifar10

    private CifarDataset cifarConfigured() {
        if (settings.cifarFolder().isPresent()) {
            Path folder = settings.cifarFolder().get();
            if (!Files.isDirectory(folder)) {
                throw new DatasetException("tlab.dataset.cifar10.folder=" + folder + " is not a folder");
            }
            return openCifar(containingFolder(folder));
        }
        Path home = settings.dataDir();
        Path folder = home.resolve(CifarFormat.FOLDER);
        if (Files.isDirectory(folder)) {
            return openCifar(folder);
        }
        if (settings.cifarArchive().isPresent()) {
            Path archive = settings.cifarArchive().get();
            if (!Files.isRegularFile(archive)) {
                throw new DatasetException("tlab.dataset.cifar10.archive=" + archive + " is not a file");
            }
            return unpack(archive, home);
        }
        Path localArchive = home.resolve(CifarFormat.ARCHIVE);
        if (settings.cifarUrl().isPresent()) {
            if (!Files.isRegularFile(localArchive) || !archives.md5Matches(localArchive)) {
                archives.download(settings.cifarUrl().get(), localArchive);
            }
            return unpack(localArchive, home);
        }
        if (Files.isRegularFile(localArchive)) {
            return unpack(localArchive, home);
        }
        throw new DatasetException(
                "CIFAR-10 not found in " + home.toAbsolutePath() + "; set tlab.dataset.cifar10.folder"
                        + " (an unpacked cifar-10-batches-bin), tlab.dataset.cifar10.archive (cifar-10-binary.tar.gz) or"
                        + " tlab.dataset.cifar10.url (e.g. https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz),"
                        + " or use dataset synthetic");
    }

    private CifarDataset cifarFromLocation(String location) {
        String lower = location.toLowerCase();
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri = URI.create(location);
            Path home = settings.dataDir()
                    .resolve("sources")
                    .resolve(Checksums.sha256Hex(location).substring(0, 16));
            Path folder = home.resolve(CifarFormat.FOLDER);
            if (Files.isDirectory(folder)) {
                return openCifar(folder);
            }
            Path archive = home.resolve(CifarFormat.ARCHIVE);
            if (!Files.isRegularFile(archive) || !archives.md5Matches(archive)) {
                archives.download(uri, archive);
            }
            return unpack(archive, home);
        }
        Path path = Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
        if (Files.isDirectory(path)) {
            return openCifar(containingFolder(path));
        }
        if (Files.isRegularFile(path)) {
            Path home = settings.dataDir()
                    .resolve("sources")
                    .resolve(Checksums.sha256Hex(path.toAbsolutePath().toString())
                            .substring(0, 16));
            Path folder = home.resolve(CifarFormat.FOLDER);
            if (Files.isDirectory(folder)) {
                return openCifar(folder);
            }
            return unpack(path, home);
        }
        throw new DatasetException(
                "dataset location " + location + " is neither a folder, an archive nor an http(s) URL");
    }

    private static Path containingFolder(Path folder) {
        Path inner = folder.resolve(CifarFormat.FOLDER);
        return Files.isDirectory(inner) ? inner : folder;
    }

    private CifarDataset openCifar(Path folder) {
        return logged(checked(CifarReader.open(folder, DatasetSpec.CIFAR10, false, settings.cifarRecordsPerBatch())));
    }

    private static CifarDataset logged(CifarDataset dataset) {
        LOG.infof(
                "using CIFAR-10 in %s (%d training, %d test images, fingerprint %s)",
                dataset.folder(), dataset.trainCount(), dataset.testCount(), dataset.fingerprint());
        return dataset;
    }

    private CifarDataset unpack(Path archive, Path home) {
        Path folder = archives.unpack(archive, home);
        return logged(pinned(CifarReader.open(folder, DatasetSpec.CIFAR10, false, settings.cifarRecordsPerBatch())));
    }
}
