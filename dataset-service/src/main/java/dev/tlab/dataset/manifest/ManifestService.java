package dev.tlab.dataset.manifest;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.Checksums;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.source.DatasetException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds manifests once per (source, policy), keeps them, and opens the data they describe for serving. */
@ApplicationScoped
public class ManifestService {
    private static final Logger LOG = Logger.getLogger(ManifestService.class);

    private final ManifestStore store;
    private final CifarSources sources;
    private final DatasetConfig config;
    private final DatasetMetrics metrics;

    public ManifestService(ManifestStore store, CifarSources sources, DatasetConfig config, DatasetMetrics metrics) {
        this.store = store;
        this.sources = sources;
        this.config = config;
        this.metrics = metrics;
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
