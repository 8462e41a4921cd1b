package dev.tlab.dataset.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EventCodec;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.datafiles.Checksums;
import dev.tlab.datafiles.CifarFormat;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarReader;
import dev.tlab.dataset.subset.SubsetSelector;
import dev.tlab.dataset.testing.TestArchives;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFactoryTest {
    @TempDir
    static Path tmp;

    static CifarDataset dataset;

    @BeforeAll
    static void generate() {
        dataset = CifarReader.open(TestArchives.folder(tmp, 12, 3, 9), "synthetic", true, null);
    }

    @Test
    void manifestDescribesTheSubsetAndItsDigests() throws IOException {
        SubsetPolicy policy = new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 5, 77L);
        DatasetManifest m = ManifestFactory.build(dataset, policy, "http://svc:8081/");
        assertTrue(ManifestFactory.ID.matcher(m.manifestId()).matches(), m.manifestId());
        assertEquals("synthetic", m.dataset());
        assertTrue(m.synthetic());
        assertEquals(dataset.fingerprint(), m.sourceFingerprint());
        assertEquals(dataset.classNames(), m.classNames());
        assertEquals(List.of(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), m.perClassCounts());
        assertEquals(SubsetSelector.firstPerClass(dataset.trainLabels(), 10, 5), m.trainIndices());
        assertEquals(0L, m.policy().seed(), "first-per-class ignores the seed, so the manifest records 0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dataset.writeTrainRecords(m.trainIndices(), out);
        assertEquals(50 * CifarFormat.RECORD_BYTES, out.size());
        assertEquals(Checksums.hex(Checksums.sha256().digest(out.toByteArray())), m.subsetDigest());
        assertEquals(30, m.testCount());
        assertEquals(Checksums.hex(Checksums.sha256().digest(Files.readAllBytes(dataset.testFile()))), m.testDigest());
        assertEquals("http://svc:8081/manifests/" + m.manifestId() + "/train", m.trainDataUrl());
        assertEquals("http://svc:8081/manifests/" + m.manifestId() + "/test", m.testDataUrl());
        // survives the wire
        assertEquals(m, EventCodec.fromJson(EventCodec.toJson(m), DatasetManifest.class));
    }

    @Test
    void idFollowsFromContent() {
        SubsetPolicy first = new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 5, 0L);
        assertEquals(
                ManifestFactory.manifestId(dataset, first),
                ManifestFactory.build(dataset, first, "http://a").manifestId());
        assertEquals(
                ManifestFactory.manifestId(dataset, first),
                ManifestFactory.manifestId(dataset, new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 5, 9L)));
        assertNotEquals(
                ManifestFactory.manifestId(dataset, first),
                ManifestFactory.manifestId(dataset, new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 6, 0L)));
        assertNotEquals(
                ManifestFactory.manifestId(dataset, new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 5, 1L)),
                ManifestFactory.manifestId(dataset, new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 5, 2L)));
        DatasetManifest a =
                ManifestFactory.build(dataset, new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 4, 3L), "http://a");
        DatasetManifest b =
                ManifestFactory.build(dataset, new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 4, 3L), "http://a");
        assertEquals(a.manifestId(), b.manifestId());
        assertEquals(a.trainIndices(), b.trainIndices());
        assertEquals(a.subsetDigest(), b.subsetDigest());
    }

    @Test
    void storeKeepsManifestsAcrossRestarts() {
        Path dir = tmp.resolve("manifests");
        DatasetManifest m = ManifestFactory.build(dataset, new SubsetPolicy(null, 3, null), "http://a");
        new ManifestStore(dir).put(m, dataset.folder());
        ManifestStore reopened = new ManifestStore(dir);
        assertEquals(m, reopened.get(m.manifestId()).orElseThrow().manifest());
        assertEquals(
                dataset.folder(), reopened.get(m.manifestId()).orElseThrow().sourceFolder());
    }
}
