package dev.tlab.dataset.manifest;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.Checksums;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.subset.SubsetSelector;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Builds a {@link DatasetManifest} from a dataset and a subset policy. */
public final class ManifestFactory {
    /** {@code m-} followed by 32 lower-case hex digits. */
    public static final Pattern ID = Pattern.compile("m-[0-9a-f]{32}");

    private ManifestFactory() {}

    /** The policy as the manifest records it: {@code first-per-class} does not use a seed, so it is always 0. */
    public static SubsetPolicy normalize(SubsetPolicy policy) {
        return SubsetPolicy.FIRST_PER_CLASS.equals(policy.name())
                ? new SubsetPolicy(policy.name(), policy.samplesPerClass(), 0L)
                : policy;
    }

    /**
     * The id follows from the content: sha256 over dataset name, source fingerprint and the normalized policy, so the
     * same source and policy always give the same manifest id.
     */
    public static String manifestId(CifarDataset dataset, SubsetPolicy policy) {
        SubsetPolicy p = normalize(policy);
        String material = String.join(
                "\n",
                dataset.dataset(),
                dataset.fingerprint(),
                p.name(),
                Integer.toString(p.samplesPerClass()),
                Long.toString(p.seed()));
        return "m-" + Checksums.sha256Hex(material).substring(0, 32);
    }

    public static DatasetManifest build(CifarDataset dataset, SubsetPolicy policy, String publicUrl) {
        SubsetPolicy p = normalize(policy);
        String id = manifestId(dataset, p);
        List<Integer> indices = SubsetSelector.select(
                dataset.trainLabels(), dataset.classNames().size(), p);
        List<Integer> perClass = SubsetSelector.countSelected(
                dataset.trainLabels(), dataset.classNames().size(), indices);
        String base = stripSlash(publicUrl) + "/manifests/" + id;
        return new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                DatasetManifest.SCHEMA_VERSION,
                Instant.now(),
                id,
                dataset.dataset(),
                dataset.synthetic(),
                dataset.fingerprint(),
                dataset.classNames(),
                perClass,
                p,
                indices,
                dataset.trainDigest(indices),
                dataset.testCount(),
                dataset.testDigest(),
                base + "/train",
                base + "/test");
    }

    public static String manifestUrl(String publicUrl, String manifestId) {
        return stripSlash(publicUrl) + "/manifests/" + manifestId;
    }

    static String stripSlash(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
