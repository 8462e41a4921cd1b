package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.Checksums;
import dev.tlab.images.DatasetDescription.ImageFile;
import dev.tlab.images.DatasetDescription.SplitFiles;
import dev.tlab.images.ImageDatasetException.Problem;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits, subsets and the checks across splits. */
class PlannerTest {

    @TempDir
    Path root;

    private ScannedDataset scan(Map<String, byte[]> files) {
        Path dir = Trees.folder(root.resolve("d" + root.toFile().list().length), files);
        return new ImageDatasetScanner(new DatasetRoots(List.of(root)), ScanLimits.DEFAULTS, 2)
                .scan(dir.toString(), RejectPolicy.SKIP);
    }

    private static Set<String> paths(SplitFiles split) {
        Set<String> paths = new HashSet<>();
        split.files().forEach(f -> paths.add(f.path()));
        return paths;
    }

    @Test
    void aStratifiedSeededSplitIsReproducibleAndShown() {
        ScannedDataset scan = scan(Trees.classes("", 1, 20, "cats", "dogs", "owls"));
        DatasetRequest request = new DatasetRequest(0.1, 0.2, 42, SubsetRule.ALL, 0, 0);
        DatasetDescription a = DatasetPlanner.plan(scan, request);
        assertEquals(List.of(14, 14, 14), a.split(Split.TRAIN).perClass());
        assertEquals(List.of(2, 2, 2), a.split(Split.VAL).perClass());
        assertEquals(List.of(4, 4, 4), a.split(Split.TEST).perClass());
        assertEquals("seeded", a.split(Split.TEST).origin());
        Set<String> all = new HashSet<>();
        for (SplitFiles split : a.splits()) {
            for (String path : paths(split)) {
                assertTrue(all.add(path), path + " in two splits");
            }
        }
        assertEquals(60, all.size());
        DatasetDescription again = DatasetPlanner.plan(scan, request);
        assertEquals(a.split(Split.TEST).digest(), again.split(Split.TEST).digest());
        assertEquals(a.fingerprint(), again.fingerprint());
        DatasetDescription otherSeed =
                DatasetPlanner.plan(scan, new DatasetRequest(0.1, 0.2, 43, SubsetRule.ALL, 0, 0));
        assertNotEquals(
                a.split(Split.TEST).digest(), otherSeed.split(Split.TEST).digest());
        assertNotEquals(a.fingerprint(), otherSeed.fingerprint());
    }

    @Test
    void theSplitDigestIsTheDocumentedLines() {
        DatasetDescription d = DatasetPlanner.plan(
                scan(Trees.classes("", 1, 5, "cats", "dogs")), new DatasetRequest(0, 0.2, 1, SubsetRule.ALL, 0, 0));
        SplitFiles test = d.split(Split.TEST);
        StringBuilder lines = new StringBuilder();
        for (ImageFile f : test.files()) {
            lines.append(d.classes().get(f.label()))
                    .append('\t')
                    .append(f.sha256())
                    .append('\t')
                    .append(f.path())
                    .append('\n');
        }
        assertEquals(Checksums.sha256Hex(lines.toString()), test.digest());
        assertEquals(
                List.of(0, 1),
                test.files().stream().map(ImageFile::label).distinct().toList());
        assertEquals("none", d.split(Split.VAL).origin());
        assertTrue(d.split(Split.VAL).files().isEmpty());
    }

    @Test
    void aClassLeftUnchangedKeepsItsSplitWhenAnotherClassIsAdded() {
        DatasetRequest request = new DatasetRequest(0.1, 0.2, 5, SubsetRule.ALL, 0, 0);
        DatasetDescription two = DatasetPlanner.plan(scan(Trees.classes("", 1, 10, "cats", "dogs")), request);
        Map<String, byte[]> three = new LinkedHashMap<>(Trees.classes("", 1, 10, "cats", "dogs"));
        three.putAll(Trees.classes("", 500, 10, "ants"));
        DatasetDescription more = DatasetPlanner.plan(scan(three), request);
        Set<String> catsTest = new HashSet<>();
        two.split(Split.TEST).files().stream().filter(f -> f.label() == 0).forEach(f -> catsTest.add(f.path()));
        Set<String> catsTestAfter = new HashSet<>();
        more.split(Split.TEST).files().stream().filter(f -> f.label() == 1).forEach(f -> catsTestAfter.add(f.path()));
        assertEquals(catsTest, catsTestAfter);
    }

    @Test
    void splitFoldersWithoutValGetValCarvedFromTrain() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 10, "cats", "dogs"));
        files.putAll(Trees.classes("test/", 100, 3, "cats", "dogs"));
        DatasetDescription d = DatasetPlanner.plan(scan(files), new DatasetRequest(0.2, 0.5, 3, SubsetRule.ALL, 0, 0));
        assertEquals("folder", d.split(Split.TEST).origin());
        assertEquals(List.of(3, 3), d.split(Split.TEST).perClass(), "the test fraction is not used with a test folder");
        assertEquals("seeded", d.split(Split.VAL).origin());
        assertEquals(List.of(2, 2), d.split(Split.VAL).perClass());
        assertEquals(List.of(8, 8), d.split(Split.TRAIN).perClass());
        assertTrue(d.split(Split.VAL).files().stream().allMatch(f -> f.path().startsWith("train/")));
    }

    @Test
    void aClassTooSmallToSplitIsNamed() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 10, "cats"));
        files.putAll(Trees.classes("", 100, 2, "dogs"));
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class,
                () -> DatasetPlanner.plan(scan(files), new DatasetRequest(0.1, 0.2, 0, SubsetRule.ALL, 0, 0)));
        assertEquals(Problem.TOO_FEW_IMAGES, e.problem());
        assertEquals("dogs", e.subject());
    }

    @Test
    void badFractionsAreRefused() {
        ScannedDataset scan = scan(Trees.classes("", 1, 10, "cats", "dogs"));
        for (double[] f : new double[][] {{0.5, 0.5}, {-0.1, 0.2}, {0.1, 0}, {0.1, Double.NaN}}) {
            ImageDatasetException e = assertThrows(
                    ImageDatasetException.class,
                    () -> DatasetPlanner.plan(scan, new DatasetRequest(f[0], f[1], 0, SubsetRule.ALL, 0, 0)));
            assertEquals(Problem.INVALID_REQUEST, e.problem(), f[0] + "," + f[1]);
        }
    }

    @Test
    void firstPerClassTakesTheFirstSortedFileNames() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 6, "cats", "dogs"));
        files.putAll(Trees.classes("test/", 100, 2, "cats", "dogs"));
        DatasetDescription d =
                DatasetPlanner.plan(scan(files), new DatasetRequest(0, 0.2, 0, SubsetRule.FIRST_PER_CLASS, 3, 0));
        assertEquals(
                List.of(
                        "train/cats/img000.jpg",
                        "train/cats/img001.jpg",
                        "train/cats/img002.jpg",
                        "train/dogs/img000.jpg",
                        "train/dogs/img001.jpg",
                        "train/dogs/img002.jpg"),
                d.subset().files().stream().map(ImageFile::path).toList());
        assertEquals("first-per-class", d.subset().rule());
        assertEquals(List.of(3, 3), d.subset().perClass());
    }

    @Test
    void stratifiedRandomIsSeededAndAllTakesEverything() {
        ScannedDataset scan = scan(Trees.classes("", 1, 30, "cats", "dogs"));
        DatasetRequest five = new DatasetRequest(0, 0.2, 0, SubsetRule.STRATIFIED_RANDOM, 5, 11);
        DatasetDescription a = DatasetPlanner.plan(scan, five);
        assertEquals(List.of(5, 5), a.subset().perClass());
        assertEquals(
                a.subset().digest(), DatasetPlanner.plan(scan, five).subset().digest());
        DatasetDescription b =
                DatasetPlanner.plan(scan, new DatasetRequest(0, 0.2, 0, SubsetRule.STRATIFIED_RANDOM, 5, 12));
        assertNotEquals(a.subset().digest(), b.subset().digest());
        Set<String> train = paths(a.split(Split.TRAIN));
        assertTrue(a.subset().files().stream().allMatch(f -> train.contains(f.path())), "drawn from train only");
        DatasetDescription all = DatasetPlanner.plan(scan, new DatasetRequest(0, 0.2, 0, SubsetRule.ALL, 0, 0));
        assertEquals(all.split(Split.TRAIN).digest(), all.subset().digest());
    }

    @Test
    void aClassWithFewerTrainingImagesThanNeededIsNamed() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 20, "cats"));
        files.putAll(Trees.classes("", 100, 8, "dogs"));
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class,
                () -> DatasetPlanner.plan(
                        scan(files), new DatasetRequest(0, 0.25, 0, SubsetRule.FIRST_PER_CLASS, 10, 0)));
        assertEquals(Problem.TOO_FEW_IMAGES, e.problem());
        assertEquals("dogs", e.subject());
        assertTrue(e.getMessage().contains("has 6 training image(s), the experiment needs 10"), e.getMessage());
    }

    @Test
    void theSameImageInTwoClassesIsRefusedNamingBothFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 4, "cats", "dogs"));
        files.put("dogs/copy.jpg", files.get("cats/img002.jpg"));
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class, () -> DatasetPlanner.plan(scan(files), DatasetRequest.allImages()));
        assertEquals(Problem.SAME_IMAGE_IN_TWO_CLASSES, e.problem());
        assertTrue(
                e.getMessage().contains("'cats/img002.jpg' (class 'cats') and 'dogs/copy.jpg' (class 'dogs')"),
                e.getMessage());
    }

    @Test
    void theSameImageInTrainAndTestIsReportedAsLeakage() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 4, "cats", "dogs"));
        files.putAll(Trees.classes("test/", 100, 2, "cats", "dogs"));
        files.put("test/cats/again.jpg", files.get("train/cats/img001.jpg"));
        DatasetDescription d = DatasetPlanner.plan(scan(files), new DatasetRequest(0, 0.2, 0, SubsetRule.ALL, 0, 0));
        assertEquals(1, d.leakage().size());
        var leak = d.leakage().get(0);
        assertEquals("train", leak.firstSplit());
        assertEquals("train/cats/img001.jpg", leak.firstPath());
        assertEquals("test", leak.secondSplit());
        assertEquals("test/cats/again.jpg", leak.secondPath());
    }

    @Test
    void exifRotatedImagesAreCounted() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 4, "cats", "dogs"));
        files.put("cats/portrait.jpg", TestImages.withExifOrientation(Trees.jpeg(99), 6, true));
        DatasetDescription d = DatasetPlanner.plan(scan(files), DatasetRequest.allImages());
        assertEquals(1, d.notes().exifRotated());
        assertEquals(0, d.notes().lossyWebp());
    }
}
