package dev.tlab.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.images.DatasetDescription.ImageFile;
import dev.tlab.images.ImageDatasetException.Problem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layouts, class order, ignored files and the class-level errors, on folders the tests write. */
class LayoutTest {

    @TempDir
    Path root;

    private ScannedDataset scan(Map<String, byte[]> files) {
        Path dir = Trees.folder(root.resolve("data"), files);
        return new ImageDatasetScanner(new DatasetRoots(List.of(root)), ScanLimits.DEFAULTS, 2)
                .scan(dir.toString(), RejectPolicy.SKIP);
    }

    private DatasetDescription describe(Map<String, byte[]> files) {
        return DatasetPlanner.plan(scan(files), DatasetRequest.allImages());
    }

    private ImageDatasetException refusal(Map<String, byte[]> files) {
        return assertThrows(ImageDatasetException.class, () -> describe(files));
    }

    @Test
    void classFoldersAreTheClassesInCodePointOrder() {
        // Java's String order would put the emoji (a surrogate pair) before U+FF01; Python's sorted() does not.
        Map<String, byte[]> files =
                Trees.classes("", 1, 5, "zebra", "Zebra", "\uFF01wide", "\uD83D\uDE00smile", "apple");
        DatasetDescription d = describe(files);
        assertEquals(List.of("Zebra", "apple", "zebra", "\uFF01wide", "\uD83D\uDE00smile"), d.classes());
        assertEquals("class-folders", d.layout());
        assertEquals(25, d.totals().images());
    }

    @Test
    void imagesAtAnyDepthBelongToTheirTopFolderInTorchvisionsOrder() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 3, "cats", "dogs"));
        files.put("cats/a-b/z.jpg", Trees.jpeg(50));
        files.put("cats/a/y.jpg", Trees.jpeg(51));
        files.put("cats/a/deeper/x.png", Trees.png(52));
        DatasetRequest firstFive = new DatasetRequest(0, 0.2, 0, SubsetRule.ALL, 0, 0);
        DatasetDescription d = DatasetPlanner.plan(scan(files), firstFive);
        assertEquals(List.of("cats", "dogs"), d.classes());
        List<String> all = d.splits().stream()
                .flatMap(s -> s.files().stream())
                .filter(f -> f.label() == 0)
                .map(ImageFile::path)
                .sorted((a, b) -> ImageOrder.compare(a.substring(5), b.substring(5)))
                .toList();
        // sorted(os.walk(...)) orders by folder path, then name: cats, cats/a, cats/a-b, cats/a/deeper ('-' < '/').
        // torchvision 0.14's ImageFolder on the same tree listed exactly this order.
        assertEquals(
                List.of(
                        "cats/img000.jpg",
                        "cats/img001.jpg",
                        "cats/img002.jpg",
                        "cats/a/y.jpg",
                        "cats/a-b/z.jpg",
                        "cats/a/deeper/x.png"),
                all);
    }

    @Test
    void hiddenSystemAndTextFilesAreIgnoredAndCounted() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 3, "cats", "dogs"));
        files.put(".DS_Store", new byte[] {1, 2});
        files.put("cats/Thumbs.db", new byte[] {3});
        files.put("cats/._img000.jpg", new byte[] {0, 5, 22, 7}); // macOS AppleDouble: not an image
        files.put(".ipynb_checkpoints/img-checkpoint.jpg", Trees.jpeg(90));
        files.put("__MACOSX/cats/._img001.jpg", new byte[] {0, 5});
        files.put("labels.txt", "cats\ndogs\n".getBytes());
        files.put("cover.jpg", Trees.jpeg(91)); // beside the class folders
        DatasetDescription d = describe(files);
        assertEquals(List.of("cats", "dogs"), d.classes(), "hidden folders are not classes");
        Map<IgnoreReason, Integer> counts =
                d.ignored().stream().collect(Collectors.toMap(IgnoredFiles::reason, IgnoredFiles::count));
        assertEquals(
                Map.of(
                        IgnoreReason.HIDDEN, 3,
                        IgnoreReason.MACOS_METADATA, 1,
                        IgnoreReason.NOT_AN_IMAGE_FILE_NAME, 2,
                        IgnoreReason.OUTSIDE_CLASS_FOLDER, 1),
                counts);
        assertTrue(d.rejects().isEmpty(), d.rejects().toString());
    }

    @Test
    void splitFoldersAreSplitsNeverClasses() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.putAll(Trees.classes("train/", 1, 4, "cats", "dogs"));
        files.putAll(Trees.classes("Validation/", 100, 2, "cats", "dogs"));
        files.putAll(Trees.classes("test/", 200, 3, "cats", "dogs"));
        DatasetDescription d = describe(files);
        assertEquals("split-folders", d.layout());
        assertEquals(List.of("cats", "dogs"), d.classes());
        assertEquals(List.of(4, 4), d.split(Split.TRAIN).perClass());
        assertEquals(List.of(2, 2), d.split(Split.VAL).perClass());
        assertEquals(List.of(3, 3), d.split(Split.TEST).perClass());
        assertEquals("folder", d.split(Split.TEST).origin());
        assertTrue(d.split(Split.VAL).files().get(0).path().startsWith("Validation/cats/"));
    }

    @Test
    void aWrapperFolderIsLookedInto() {
        DatasetDescription d = describe(Trees.classes("flowers/", 1, 3, "daisy", "rose"));
        assertEquals("flowers/", d.root());
        assertEquals(List.of("daisy", "rose"), d.classes());
    }

    @Test
    void aFolderBesideSplitFoldersIsALayoutError() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 3, "cats", "dogs"));
        files.putAll(Trees.classes("", 50, 3, "extra"));
        ImageDatasetException e = refusal(files);
        assertEquals(Problem.LAYOUT, e.problem());
        assertEquals("extra", e.subject());
    }

    @Test
    void valAndValidationTogetherAreALayoutError() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 3, "cats", "dogs"));
        files.putAll(Trees.classes("val/", 50, 1, "cats", "dogs"));
        files.putAll(Trees.classes("validation/", 60, 1, "cats", "dogs"));
        assertEquals(Problem.LAYOUT, refusal(files).problem());
    }

    @Test
    void splitFoldersWithoutTrainAreALayoutError() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("test/", 1, 3, "cats", "dogs"));
        files.putAll(Trees.classes("val/", 50, 1, "cats", "dogs"));
        ImageDatasetException e = refusal(files);
        assertEquals(Problem.LAYOUT, e.problem());
        assertEquals("train", e.subject());
    }

    @Test
    void aClassInTrainButNotInTestIsNamed() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 3, "cats", "dogs", "owls"));
        files.putAll(Trees.classes("test/", 50, 1, "cats", "dogs"));
        ImageDatasetException e = refusal(files);
        assertEquals(Problem.CLASS_MISSING_IN_SPLIT, e.problem());
        assertEquals("owls", e.subject());
        assertTrue(e.getMessage().contains("in train/ but not in test/"), e.getMessage());
    }

    @Test
    void aClassInTestButNotInTrainIsNamed() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("train/", 1, 3, "cats", "dogs"));
        files.putAll(Trees.classes("test/", 50, 1, "cats", "dogs", "owls"));
        ImageDatasetException e = refusal(files);
        assertEquals(Problem.CLASS_MISSING_IN_SPLIT, e.problem());
        assertEquals("owls", e.subject());
    }

    @Test
    void fewerThanTwoClassesIsRefused() {
        ImageDatasetException e = refusal(Trees.classes("", 1, 4, "cats"));
        assertEquals(Problem.TOO_FEW_CLASSES, e.problem());
        assertTrue(e.getMessage().contains("found only 'cats'"), e.getMessage());
        assertEquals(
                Problem.TOO_FEW_CLASSES,
                refusal(Map.of("notes.txt", new byte[] {1})).problem());
    }

    @Test
    void anEmptyClassFolderIsNamed() throws Exception {
        Path dir = Trees.folder(root.resolve("data"), Trees.classes("", 1, 3, "cats", "dogs"));
        java.nio.file.Files.createDirectories(dir.resolve("owls"));
        java.nio.file.Files.write(dir.resolve("owls/readme.txt"), new byte[] {1});
        ImageDatasetException e = assertThrows(
                ImageDatasetException.class,
                () -> DatasetPlanner.plan(
                        new ImageDatasetScanner(new DatasetRoots(List.of(root)), ScanLimits.DEFAULTS, 1)
                                .scan(dir.toString(), RejectPolicy.SKIP),
                        DatasetRequest.allImages()));
        assertEquals(Problem.EMPTY_CLASS, e.problem());
        assertEquals("owls", e.subject());
    }

    @Test
    void aClassWhoseImagesWereAllRejectedIsEmptyAndSaysWhy() {
        Map<String, byte[]> files = new LinkedHashMap<>(Trees.classes("", 1, 3, "cats", "dogs"));
        files.put("owls/a.jpg", new byte[0]);
        files.put("owls/b.png", "not a png".getBytes());
        ImageDatasetException e = refusal(files);
        assertEquals(Problem.EMPTY_CLASS, e.problem());
        assertTrue(e.getMessage().contains("its 2 image file(s) were rejected"), e.getMessage());
    }
}
