package dev.tlab.dataset.manifest;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.dataset.DatasetConfig;
import dev.tlab.dataset.DatasetMetrics;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarSources;
import dev.tlab.dataset.source.DatasetException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds manifests once per (source, policy), keeps them, and opens the data they describe for serving. */
@ApplicationScoped
public class ManifestService {
    private static final Logger LOG = Logger.getLogger(ManifestService.class);

    @Inject
    ManifestStore store;
    @Inject
    CifarSources sources;
    @Inject
    DatasetConfig config;
    @Inject
    DatasetMetrics metrics;

    /** The stored manifest for this dataset and policy, built and stored first if there is none yet. */
    public synchronized DatasetManifest getOrBuild(CifarDataset dataset, SubsetPolicy policy) {
        String id = ManifestFactory.manifestId(dataset, policy);
        Optional<ManifestStore.Stored> stored = store.get(id);
        if (stored.isPresent()) {
            return stored.get().manifest();
        }
        DatasetManifest manifest = metrics.timeSubsetBuild(
                () -> ManifestFactory.build(dataset, policy, config.publicUrl()));
        store.put(manifest, dataset.folder());
        LOG.infof("built manifest %s: %s%s, %s x %d per class = %d images, subset sha256 %s", id, manifest.dataset(),
                manifest.synthetic() ? " (SYNTHETIC data, not CIFAR-10)" : "", manifest.policy().name(),
                manifest.policy().samplesPerClass(), manifest.subsetSize(), manifest.subsetDigest());
        return manifest;
    }

    public Collection<ManifestStore.Stored> all() {
        return store.all();
    }

    public Optional<ManifestStore.Stored> find(String manifestId) {
        return store.get(manifestId);
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
