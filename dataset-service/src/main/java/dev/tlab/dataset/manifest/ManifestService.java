package dev.tlab.dataset.manifest;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ImageIndex;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.Checksums;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.images.ImageManifests;
import dev.tlab.dataset.images.ImageStore;
import dev.tlab.dataset.images.PlannedImages;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.source.DatasetException;
import dev.tlab.dataset.source.ResolvedDataset;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Builds manifests once per (source, policy), keeps them, and opens the data they describe for serving. */
@ApplicationScoped
public class ManifestService {
    private static final Logger LOG = Logger.getLogger(ManifestService.class);

    private final ManifestStore store;
    private final CifarSources sources;
    private final ImageStore images;
    private final DatasetConfig config;
    private final DatasetMetrics metrics;
    /** The images each recently served manifest of images may serve, from its index. */
    private final Map<String, Set<String>> servable = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > 4;
        }
    });

    public ManifestService(
            ManifestStore store,
            CifarSources sources,
            ImageStore images,
            DatasetConfig config,
            DatasetMetrics metrics) {
        this.store = store;
        this.sources = sources;
        this.images = images;
        this.config = config;
        this.metrics = metrics;
    }

    /** The stored manifest for this dataset and policy (images: and their split), built and stored first if new. */
    public DatasetManifest getOrBuild(ResolvedDataset dataset, SubsetPolicy policy) {
        if (dataset instanceof PlannedImages planned) {
            return getOrBuild(planned);
        }
        return getOrBuild((CifarDataset) dataset, policy);
    }

    private synchronized DatasetManifest getOrBuild(PlannedImages planned) {
        String id = ImageManifests.manifestId(planned);
        Optional<ManifestStore.Stored> stored = store.get(id);
        if (stored.isPresent()
                && Files.isRegularFile(
                        images.index(stored.get().manifest().images().index().sha256()))) {
            return stored.get().manifest();
        }
        DatasetManifest manifest =
                metrics.timeSubsetBuild(() -> ImageManifests.build(planned, config.publicUrl(), images));
        store.put(manifest, images.root());
        ImageManifest m = manifest.images();
        LOG.infof(
                "built manifest %s: %d images of %d classes from %s (%s), subset %s = %d images, test %d, %d rejected,"
                        + " %d leaked, index sha256 %s",
                id,
                m.totals().images(),
                manifest.classNames().size(),
                m.source().location(),
                m.layout(),
                manifest.policy().name(),
                manifest.subsetSize(),
                manifest.testCount(),
                m.rejectCount(),
                m.leakCount(),
                m.index().sha256());
        return manifest;
    }

    /**
     * The index of a stored manifest of images, checked against the sha256 the manifest names.
     *
     * @throws DatasetException when it is gone or damaged (answered 503)
     */
    public byte[] verifiedIndex(ManifestStore.Stored stored) {
        ImageManifest.Index index = stored.manifest().images().index();
        Path file = images.index(index.sha256());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(
                    "the index of manifest " + stored.manifest().manifestId() + " cannot be read (" + file + "): "
                            + e.getMessage() + "; request the experiment again to rebuild it");
        }
        String actual = Checksums.sha256Hex(bytes);
        if (!actual.equals(index.sha256())) {
            metrics.damagedDataRefused();
            throw new DatasetException(
                    "the index of manifest " + stored.manifest().manifestId() + " is damaged: its" + " sha256 is now "
                            + actual + ", the manifest says " + index.sha256() + "; it is not served");
        }
        return bytes;
    }

    /**
     * One image of a stored manifest of images, checked against its sha256.
     *
     * @return empty when the manifest has no such image
     * @throws DatasetException when the store lost or damaged it (answered 503)
     */
    public Optional<byte[]> image(ManifestStore.Stored stored, String sha256) {
        Set<String> allowed = servable.computeIfAbsent(stored.manifest().manifestId(), id -> {
            ImageIndex index = EventCodec.fromBytes(verifiedIndex(stored), ImageIndex.class);
            Set<String> shas = new HashSet<>();
            for (List<ImageIndex.Image> split : List.of(index.subset(), index.train(), index.val(), index.test())) {
                split.forEach(image -> shas.add(image.sha256()));
            }
            return Set.copyOf(shas);
        });
        if (!allowed.contains(sha256)) {
            return Optional.empty();
        }
        try {
            return Optional.of(images.image(sha256)
                    .orElseThrow(() -> new DatasetException("image " + sha256 + " of manifest "
                            + stored.manifest().manifestId() + " is gone from the store "
                            + images.root() + "; request the experiment again to scan its source again")));
        } catch (ImageStore.DamagedObjectException e) {
            metrics.damagedDataRefused();
            throw new DatasetException(e.getMessage());
        }
    }

    /** The stored manifest for this dataset and policy, built and stored first if there is none yet. */
    public synchronized DatasetManifest getOrBuild(CifarDataset dataset, SubsetPolicy policy) {
        String id = ManifestFactory.manifestId(dataset, policy);
        Optional<ManifestStore.Stored> stored = store.get(id);
        if (stored.isPresent()) {
            return stored.get().manifest();
        }
        DatasetManifest manifest =
                metrics.timeSubsetBuild(() -> ManifestFactory.build(dataset, policy, config.publicUrl()));
        // The subset digest was just computed from the files; the whole source is read again now and must still have
        // the fingerprint it was verified with, else the manifest would vouch for damaged bytes.
        sources.verify(dataset);
        store.put(manifest, dataset.folder());
        LOG.infof(
                "built manifest %s: %s%s, %s x %d per class = %d images, subset sha256 %s",
                id,
                manifest.dataset(),
                manifest.synthetic() ? " (SYNTHETIC data, not CIFAR-10)" : "",
                manifest.policy().name(),
                manifest.policy().samplesPerClass(),
                manifest.subsetSize(),
                manifest.subsetDigest());
        return manifest;
    }

    public Collection<ManifestStore.Stored> all() {
        return store.all();
    }

    public Optional<ManifestStore.Stored> find(String manifestId) {
        return store.get(manifestId);
    }

    /**
     * The training records of a stored manifest, checked before they are served: their sha256 must still be the
     * manifest's subsetDigest, so damaged files are refused here with the reason instead of streamed.
     */
    public CifarDataset verifiedForTraining(ManifestStore.Stored stored) {
        CifarDataset dataset = datasetFor(stored);
        DatasetManifest manifest = stored.manifest();
        refuseUnless(
                manifest,
                "training records",
                dataset.trainDigest(manifest.trainIndices()),
                manifest.subsetDigest(),
                dataset);
        return dataset;
    }

    /** The test records of a stored manifest, checked like {@link #verifiedForTraining}. */
    public CifarDataset verifiedForTest(ManifestStore.Stored stored) {
        CifarDataset dataset = datasetFor(stored);
        DatasetManifest manifest = stored.manifest();
        refuseUnless(manifest, "test records", Checksums.sha256Hex(dataset.testFile()), manifest.testDigest(), dataset);
        return dataset;
    }

    private void refuseUnless(
            DatasetManifest manifest, String what, String actual, String expected, CifarDataset dataset) {
        if (!actual.equals(expected)) {
            metrics.damagedDataRefused();
            throw new DatasetException("the " + what + " of manifest " + manifest.manifestId() + " are damaged: their"
                    + " sha256 is now " + actual + ", the manifest says " + expected + "; they are not served. Restore"
                    + " the dataset in " + dataset.folder() + " (a folder unpacked from an archive or generated here:"
                    + " delete it and it is made again)");
        }
    }

    /** The dataset a stored manifest was built from, checked to be unchanged since. */
    public CifarDataset datasetFor(ManifestStore.Stored stored) {
        DatasetManifest manifest = stored.manifest();
        CifarDataset dataset = sources.openFolder(stored.sourceFolder(), manifest.dataset(), manifest.synthetic());
        if (!dataset.fingerprint().equals(manifest.sourceFingerprint())) {
            throw new DatasetException("the source of manifest " + manifest.manifestId() + " in "
                    + stored.sourceFolder() + " changed since the manifest was built (fingerprint "
                    + dataset.fingerprint() + ", expected " + manifest.sourceFingerprint() + ")");
        }
        return dataset;
    }
}
