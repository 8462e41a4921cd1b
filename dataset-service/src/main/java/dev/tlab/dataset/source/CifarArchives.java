package dev.tlab.dataset.source;

import dev.tlab.contracts.DatasetSpec;
import dev.tlab.datafiles.AtomicFiles;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.datafiles.Folders;
import dev.tlab.datafiles.VerifiedDownload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The checks on a CIFAR-10 archive ({@code cifar-10-binary.tar.gz}) and its unpacking: an archive is used only with the
 * configured md5 ({@code tlab.dataset.cifar10.md5}), downloaded aside and checked before it takes its name, and
 * unpacked into a temporary folder that is validated before it is moved into place, so that a failure never leaves a
 * partial dataset under the dataset's name.
 */
final class CifarArchives {
    private static final Logger LOG = Logger.getLogger(CifarArchives.class);

    private final Optional<String> md5;
    private final int recordsPerBatch;
    private final Duration downloadTimeout;
    private final VerifiedDownload downloads;

    CifarArchives(Optional<String> md5, int recordsPerBatch, Duration downloadTimeout, VerifiedDownload downloads) {
        this.md5 = md5;
        this.recordsPerBatch = recordsPerBatch;
        this.downloadTimeout = downloadTimeout;
        this.downloads = downloads;
    }

    /** Whether an archive already here has the configured md5 (or no md5 is configured), so it need not be fetched. */
    boolean md5Matches(Path archive) {
        return md5.map(expected -> expected.equalsIgnoreCase(Checksums.md5Hex(archive)))
                .orElse(true);
    }

    /** Downloads {@code target} from {@code url}, checked against the configured md5 before it takes its name. */
    void download(URI url, Path target) {
        LOG.infof("downloading %s to %s", url, target);
        if (md5.isEmpty()) {
            LOG.warnf("no md5 configured (tlab.dataset.cifar10.md5): %s is used unverified", url);
        }
        try {
            downloads.fetch(
                    HttpRequest.newBuilder(url).timeout(downloadTimeout).GET().build(),
                    target,
                    VerifiedDownload.Digest.md5(md5.orElse(null)));
        } catch (VerifiedDownload.Mismatch e) {
            throw new DatasetException("checksum mismatch for " + url + ": md5 " + e.actual() + ", expected "
                    + e.expected().hex() + " (tlab.dataset.cifar10.md5); the file is incomplete or not the CIFAR-10"
                    + " binary distribution");
        } catch (VerifiedDownload.Failure e) {
            throw new DatasetException("download of " + url + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the archive's md5, unpacks it into a temporary folder under {@code home}, validates it and moves it into
     * place as {@code home/cifar-10-batches-bin}.
     *
     * @return the unpacked folder
     */
    Path unpack(Path archive, Path home) {
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
            CifarReader.open(temp, DatasetSpec.CIFAR10, false, recordsPerBatch);
            moveIntoPlace(temp, folder);
        } finally {
            deleteQuietly(temp);
        }
        LOG.infof("unpacked %s into %s", archive, folder);
        return folder;
    }

    private void verifyMd5(Path archive) {
        if (md5.isEmpty()) {
            LOG.warnf("no md5 configured (tlab.dataset.cifar10.md5): %s is used unverified", archive);
            return;
        }
        String expected = md5.get();
        String actual = Checksums.md5Hex(archive);
        if (!expected.equalsIgnoreCase(actual)) {
            throw new DatasetException("checksum mismatch for " + archive + ": md5 " + actual + ", expected " + expected
                    + " (tlab.dataset.cifar10.md5); the file is incomplete or not the CIFAR-10 binary distribution");
        }
    }

    /**
     * Moves a folder completed aside into place ({@link AtomicFiles#moveIntoPlace}); when another process put the same
     * content there first, its folder is kept.
     */
    static void moveIntoPlace(Path completed, Path folder) {
        try {
            Files.createDirectories(folder.getParent());
            AtomicFiles.moveIntoPlace(completed, folder);
        } catch (IOException e) {
            if (!Files.isDirectory(folder)) {
                throw new UncheckedIOException("cannot move " + completed + " to " + folder, e);
            }
        }
    }

    /** Removes a temporary folder; one that cannot be removed is only logged (it never has a dataset's name). */
    static void deleteQuietly(Path path) {
        try {
            Folders.deleteTree(path);
        } catch (UncheckedIOException e) {
            LOG.warnf("cannot delete %s: %s", path, e.getMessage());
        }
    }
}
