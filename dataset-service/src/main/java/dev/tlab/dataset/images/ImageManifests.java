package dev.tlab.dataset.images;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.DatasetSpec;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.ImageIndex;
import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.contracts.Topic;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.datafiles.Checksums;
import dev.tlab.images.DatasetDescription;
import dev.tlab.images.IgnoredFiles;
import dev.tlab.images.Reject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The manifest of a dataset of images ({@link DatasetManifest} version 2) and its index ({@link ImageIndex}, kept in
 * the {@link ImageStore} under its sha256). The manifest id follows from the content: the same images split and chosen
 * the same way give the same manifest.
 */
public final class ImageManifests {

    private ImageManifests() {}

    /** {@code m-} and 32 hex digits of the sha256 of the split's fingerprint and the subset. */
    public static String manifestId(PlannedImages planned) {
        DatasetDescription d = planned.description();
        SubsetPolicy p = planned.subset();
        String material = String.join(
                "\n",
                DatasetSpec.IMAGES,
                d.fingerprint(),
                d.subset().digest(),
                p.name(),
                String.valueOf(p.samplesPerClass()),
                Long.toString(p.everyImage() ? 0 : p.seed()));
        return "m-" + Checksums.sha256Hex(material).substring(0, 32);
    }

    /**
     * Writes the index into the store and returns the manifest that names it.
     *
     * @throws ApiException 413 when the manifest would not fit a message (a class map of very many, very long names)
     */
    public static DatasetManifest build(PlannedImages planned, String publicUrl, ImageStore store) {
        DatasetDescription d = planned.description();
        String id = manifestId(planned);
        String base = stripSlash(publicUrl) + "/manifests/" + id;
        byte[] index = EventCodec.toBytes(index(d));
        String indexSha256 = store.putIndex(index);
        DatasetDescription.SplitFiles test = d.split(dev.tlab.images.Split.TEST);
        SubsetPolicy policy = normalize(planned.subset());
        ImageManifest images = new ImageManifest(
                new ImageManifest.Source(
                        ImageStore.label(d.source().kind()),
                        d.source().location(),
                        d.source().archiveSha256()),
                d.layout(),
                d.root(),
                planned.spec().split(),
                d.splits().stream()
                        .map(s -> new ImageManifest.SplitSummary(
                                s.name(), s.origin(), s.files().size(), s.perClass(), s.digest()))
                        .toList(),
                new ImageManifest.Subset(
                        d.subset().rule(),
                        policy.samplesPerClass(),
                        policy.seed(),
                        d.subset().files().size(),
                        d.subset().perClass(),
                        d.subset().digest()),
                planned.spec().rejects(),
                d.rejects().size(),
                rejects(d.rejects()
                        .subList(0, Math.min(ImageManifest.LISTED, d.rejects().size()))),
                ignored(d.ignored()),
                d.leakage().size(),
                leaks(d.leakage()
                        .subList(0, Math.min(ImageManifest.LISTED, d.leakage().size()))),
                new ImageManifest.Notes(d.notes().exifRotated(), d.notes().lossyWebp()),
                new ImageManifest.Totals(
                        d.totals().images(), d.totals().bytesRead(), d.totals().pixels()),
                d.fingerprint(),
                new ImageManifest.Index(base + "/index", indexSha256, index.length),
                base + "/images");
        DatasetManifest manifest = new DatasetManifest(
                UUID.randomUUID(),
                DatasetManifest.TYPE,
                DatasetManifest.IMAGES_SCHEMA_VERSION,
                Instant.now(),
                id,
                DatasetSpec.IMAGES,
                false,
                planned.sourceFingerprint(),
                d.classes(),
                d.subset().perClass(),
                policy,
                List.of(),
                d.subset().digest(),
                test.files().size(),
                test.digest(),
                null,
                null,
                images);
        int size = EventCodec.toBytes(manifest).length;
        if (size > Topic.MAX_MESSAGE_BYTES - 4096) {
            throw new ApiException(
                    413,
                    "dataset.source",
                    String.format(
                            Locale.ROOT,
                            "the manifest of %d classes would be %,d bytes, more than a message holds (%,d); use"
                                    + " fewer classes or shorter class folder names",
                            d.classes().size(),
                            size,
                            Topic.MAX_MESSAGE_BYTES));
        }
        return manifest;
    }

    /** The policy as the manifest records it: a seed only where the rule draws with one. */
    static SubsetPolicy normalize(SubsetPolicy policy) {
        return SubsetPolicy.STRATIFIED_RANDOM.equals(policy.name())
                ? policy
                : new SubsetPolicy(policy.name(), policy.samplesPerClass(), 0L);
    }

    static ImageIndex index(DatasetDescription d) {
        return new ImageIndex(
                d.classes(),
                images(d.split(dev.tlab.images.Split.TRAIN).files()),
                images(d.split(dev.tlab.images.Split.VAL).files()),
                images(d.split(dev.tlab.images.Split.TEST).files()),
                images(d.subset().files()),
                rejects(d.rejects()),
                leaks(d.leakage()),
                ignored(d.ignored()));
    }

    private static List<ImageIndex.Image> images(List<DatasetDescription.ImageFile> files) {
        return files.stream()
                .map(f -> new ImageIndex.Image(f.path(), f.label(), f.sha256(), f.bytes(), f.width(), f.height()))
                .toList();
    }

    static List<ImageManifest.RejectedFile> rejects(List<Reject> rejects) {
        return rejects.stream()
                .map(r -> new ImageManifest.RejectedFile(
                        r.path(), label(r.reason().name()), r.detail()))
                .toList();
    }

    private static List<ImageManifest.Leak> leaks(List<DatasetDescription.Leak> leaks) {
        return leaks.stream()
                .map(l -> new ImageManifest.Leak(
                        l.sha256(), l.firstSplit(), l.firstPath(), l.secondSplit(), l.secondPath()))
                .toList();
    }

    static List<ImageManifest.IgnoredFiles> ignored(List<IgnoredFiles> ignored) {
        return ignored.stream()
                .map(i -> new ImageManifest.IgnoredFiles(label(i.reason().name()), i.count(), i.examples()))
                .toList();
    }

    /** An enum constant as the manifest names it: {@code TOO_MANY_PIXELS} is {@code too-many-pixels}. */
    static String label(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String stripSlash(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
