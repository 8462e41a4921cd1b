package dev.tlab.dataset.source;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.Folders;
import dev.tlab.datafiles.SyntheticCifar;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Finds, fetches, verifies and opens dataset sources, keeping everything under the data folder:
 *
 * <ul>
 *   <li>{@code cifar10}: a configured folder, else {@code <data-dir>/cifar-10-batches-bin}, else a configured archive,
 *       else a download from the configured URL, else {@code <data-dir>/cifar-10-binary.tar.gz}. Archives are checked
 *       against the md5 before they are unpacked; unpacking goes to a temporary folder that is validated and then moved
 *       into place, so a failure never leaves a partial dataset.
 *   <li>{@code synthetic}: generated once per (images per class, test images per class, seed) under
 *       {@code <data-dir>/synthetic/}.
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
    private final VerifiedDownload downloads = VerifiedDownload.withDefaultClient();
    private final SourcePins pins;
    private final Map<String, CifarDataset> resolved = new ConcurrentHashMap<>();
    private final Map<Path, CifarDataset> opened = new ConcurrentHashMap<>();
    private final Map<Path, FolderStamp> stamps = new ConcurrentHashMap<>();

    public CifarSources(Settings settings) {
        this.settings = settings;
        this.pins = new SourcePins(settings.dataDir().resolve("source-fingerprints.properties"));
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

    // ---------------------------------------------------------------- synthetic

    private CifarDataset synthetic() {
        int perClass = settings.syntheticImagesPerClass();
        int testPerClass = settings.syntheticTestImagesPerClass();
        long seed = settings.syntheticSeed();
        Path home = settings.dataDir()
                .resolve("synthetic")
                .resolve("ipc" + perClass + "-test" + testPerClass + "-seed" + seed);
        Path folder = home.resolve(CifarFormat.FOLDER);
        boolean generated = !Files.isDirectory(folder);
        if (generated) {
            LOG.infof(
                    "generating the SYNTHETIC dataset (%d images per class, %d test images per class, seed %d) in %s"
                            + " - this is not CIFAR-10",
                    perClass, testPerClass, seed, folder);
            Path temp = home.resolve(".tmp-" + UUID.randomUUID());
            try {
                SyntheticCifar.generate(temp, perClass, testPerClass, seed);
                moveIntoPlace(temp, folder);
            } finally {
                deleteRecursively(temp);
            }
        }
        CifarDataset opened = CifarReader.open(folder, DatasetSpec.SYNTHETIC, true, null);
        CifarDataset dataset = generated ? pinned(opened) : checked(opened);
        for (int count : dataset.classCounts()) {
            if (count != perClass) {
                throw new DatasetException("the synthetic dataset in " + folder + " does not match its settings ("
                        + count + " images in a class, expected " + perClass + "); delete the folder to regenerate it");
            }
        }
        LOG.infof(
                "using the SYNTHETIC dataset in %s (%d training, %d test images, fingerprint %s)",
                folder, dataset.trainCount(), dataset.testCount(), dataset.fingerprint());
        return dataset;
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
            if (!Files.isRegularFile(localArchive) || !md5Matches(localArchive)) {
                download(settings.cifarUrl().get(), localArchive);
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
            if (!Files.isRegularFile(archive) || !md5Matches(archive)) {
                download(uri, archive);
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

    private boolean md5Matches(Path archive) {
        return settings.cifarMd5()
                .map(expected -> expected.equalsIgnoreCase(Checksums.md5Hex(archive)))
                .orElse(true);
    }

    /** Verifies the archive's md5, unpacks it into a temporary folder, validates it, then moves it into place. */
    private CifarDataset unpack(Path archive, Path home) {
        verifyMd5(archive);
        Path temp = home.resolve(".extract-" + UUID.randomUUID());
        Path folder = home.resolve(CifarFormat.FOLDER);
        try {
            Set<String> wanted = new HashSet<>(CifarFormat.ALL_FILES);
            Set<String> found = TarGz.extractFolder(archive, CifarFormat.FOLDER, wanted, temp);
            wanted.removeAll(found);
            if (!wanted.isEmpty()) {
                throw new DatasetException(archive + " lacks " + CifarFormat.FOLDER + "/"
                        + wanted.stream().sorted().toList());
            }
            CifarReader.open(temp, DatasetSpec.CIFAR10, false, settings.cifarRecordsPerBatch());
            moveIntoPlace(temp, folder);
        } finally {
            deleteRecursively(temp);
        }
        LOG.infof("unpacked %s into %s", archive, folder);
        return logged(pinned(CifarReader.open(folder, DatasetSpec.CIFAR10, false, settings.cifarRecordsPerBatch())));
    }

    private void verifyMd5(Path archive) {
        if (settings.cifarMd5().isEmpty()) {
            LOG.warnf("no md5 configured (tlab.dataset.cifar10.md5): %s is used unverified", archive);
            return;
        }
        String expected = settings.cifarMd5().get();
        String actual = Checksums.md5Hex(archive);
        if (!expected.equalsIgnoreCase(actual)) {
            throw new DatasetException("checksum mismatch for " + archive + ": md5 " + actual + ", expected " + expected
                    + " (tlab.dataset.cifar10.md5); the file is incomplete or not the CIFAR-10 binary distribution");
        }
    }

    /** Downloads {@code target} from {@code url}, checked against the configured md5 before it takes its name. */
    private void download(URI url, Path target) {
        LOG.infof("downloading %s to %s", url, target);
        if (settings.cifarMd5().isEmpty()) {
            LOG.warnf("no md5 configured (tlab.dataset.cifar10.md5): %s is used unverified", url);
        }
        try {
            downloads.fetch(
                    HttpRequest.newBuilder(url)
                            .timeout(settings.downloadTimeout())
                            .GET()
                            .build(),
                    target,
                    VerifiedDownload.Digest.md5(settings.cifarMd5().orElse(null)));
        } catch (VerifiedDownload.Mismatch e) {
            throw new DatasetException("checksum mismatch for " + url + ": md5 " + e.actual() + ", expected "
                    + e.expected().hex() + " (tlab.dataset.cifar10.md5); the file is incomplete or not the CIFAR-10"
                    + " binary distribution");
        } catch (VerifiedDownload.Failure e) {
            throw new DatasetException("download of " + url + " failed: " + e.getMessage(), e);
        }
    }

    private static void moveIntoPlace(Path temp, Path folder) {
        try {
            Files.createDirectories(folder.getParent());
            try {
                Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, folder);
            }
        } catch (FileAlreadyExistsException e) {
            // another process put the same content there first
        } catch (IOException e) {
            if (!Files.isDirectory(folder)) {
                throw new UncheckedIOException("cannot move " + temp + " to " + folder, e);
            }
        }
    }

    /** Removes a temporary folder; one that cannot be removed is only logged (it never has a dataset's name). */
    static void deleteRecursively(Path path) {
        try {
            Folders.deleteTree(path);
        } catch (UncheckedIOException e) {
            LOG.warnf("cannot delete %s: %s", path, e.getMessage());
        }
    }
}
