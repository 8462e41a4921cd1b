package dev.tlab.images;

import dev.tlab.datafiles.Checksums;
import dev.tlab.images.DatasetDescription.ImageFile;
import dev.tlab.images.DatasetDescription.Leak;
import dev.tlab.images.DatasetDescription.SplitFiles;
import dev.tlab.images.ImageDatasetException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a scan into a {@link DatasetDescription} for one request: the layout's classes, the three splits (from folders,
 * or carved from train per class with the request's fractions and seed), the training subset, and the checks that need
 * all of them (the same image under two classes, too few images, leakage between splits).
 */
public final class DatasetPlanner {

    private DatasetPlanner() {}

    public static DatasetDescription plan(ScannedDataset scan, DatasetRequest request) {
        DatasetLayout layout = DatasetLayout.of(scan);
        List<String> classes = layout.classes();
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            labels.put(classes.get(i), i);
        }
        checkFractions(request, layout);
        checkOneClassPerImage(layout);

        boolean carveTest = !layout.files().containsKey(Split.TEST);
        boolean valFolder = layout.files().containsKey(Split.VAL);
        boolean carveVal = !valFolder && request.valFraction() > 0;
        Map<Split, String> origins = new EnumMap<>(Split.class);
        origins.put(Split.TRAIN, layout.kind() == DatasetLayout.Kind.SPLIT_FOLDERS ? "folder" : "seeded");
        origins.put(Split.VAL, valFolder ? "folder" : carveVal ? "seeded" : "none");
        origins.put(Split.TEST, carveTest ? "seeded" : "folder");
        Map<Split, List<List<ScannedFile>>> splits = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            splits.put(split, new ArrayList<>());
        }
        for (String name : classes) {
            List<ScannedFile> pool = layout.files().get(Split.TRAIN).get(name);
            int n = pool.size();
            int nTest = carveTest ? Math.max(1, (int) Math.round(n * request.testFraction())) : 0;
            int nVal = carveVal ? Math.max(1, (int) Math.round(n * request.valFraction())) : 0;
            if (n - nTest - nVal < 1) {
                throw new ImageDatasetException(
                        Problem.TOO_FEW_IMAGES,
                        name,
                        "class '" + name + "' has " + n + " training image(s): too few to keep " + nTest
                                + " for test and " + nVal + " for val and still train on one");
            }
            List<ScannedFile> shuffled = new ArrayList<>(pool);
            Collections.shuffle(shuffled, new Random(classSeed(request.splitSeed(), name)));
            List<ScannedFile> test = new ArrayList<>(shuffled.subList(0, nTest));
            List<ScannedFile> val = new ArrayList<>(shuffled.subList(nTest, nTest + nVal));
            List<ScannedFile> train = new ArrayList<>(shuffled.subList(nTest + nVal, n));
            for (List<ScannedFile> list : List.of(test, val, train)) {
                list.sort(ImageOrder.TORCHVISION);
            }
            splits.get(Split.TRAIN).add(train);
            splits.get(Split.TEST)
                    .add(carveTest ? test : layout.files().get(Split.TEST).get(name));
            splits.get(Split.VAL)
                    .add(
                            carveVal
                                    ? val
                                    : layout.files()
                                            .getOrDefault(Split.VAL, Map.of())
                                            .getOrDefault(name, List.of()));
        }
        List<SplitFiles> described = new ArrayList<>();
        for (Split split : Split.values()) {
            described.add(describe(split.label(), origins.get(split), splits.get(split), classes));
        }
        DatasetDescription.Subset subset = subset(request, classes, splits.get(Split.TRAIN));
        List<ScannedFile> used = new ArrayList<>();
        splits.values().forEach(perClass -> perClass.forEach(used::addAll));
        int exifRotated =
                (int) used.stream().filter(f -> f.exifOrientation() != 1).count();
        int lossyWebp = (int) used.stream().filter(f -> !f.pilExact()).count();
        List<IgnoredFiles> ignored = withOutsideClassFolders(scan.ignored(), layout.outsideClassFolders(scan));
        return new DatasetDescription(
                new DatasetDescription.Source(
                        scan.location().given(), scan.location().kind(), scan.archiveSha256()),
                layout.kind().label(),
                layout.prefix(),
                classes,
                List.copyOf(described),
                subset,
                scan.rejects(),
                ignored,
                leakage(splits, classes),
                new DatasetDescription.Notes(exifRotated, lossyWebp),
                new DatasetDescription.Totals(used.size(), scan.bytesRead(), scan.pixels()),
                fingerprint(classes, described));
    }

    private static void checkFractions(DatasetRequest request, DatasetLayout layout) {
        double val = request.valFraction();
        double test = request.testFraction();
        if (!(val >= 0 && val < 1) || !(test >= 0 && test < 1) || val + test >= 1) {
            throw new ImageDatasetException(
                    Problem.INVALID_REQUEST,
                    "split",
                    "val and test fractions must each be in [0, 1) and leave room for training, were " + val + " and "
                            + test);
        }
        if (!layout.files().containsKey(Split.TEST) && test <= 0) {
            throw new ImageDatasetException(
                    Problem.INVALID_REQUEST,
                    "split.test",
                    "the dataset has no test/ folder, so the test fraction must be above 0 (e.g. 0.2)");
        }
    }

    /** One digest under two classes is a labelling error: the model would be told both. */
    private static void checkOneClassPerImage(DatasetLayout layout) {
        Map<String, String[]> firstSeen = new HashMap<>();
        layout.files()
                .forEach((split, byClass) -> byClass.forEach((name, files) -> {
                    for (ScannedFile file : files) {
                        String[] other = firstSeen.putIfAbsent(file.sha256(), new String[] {name, file.path()});
                        if (other != null && !other[0].equals(name)) {
                            throw new ImageDatasetException(
                                    Problem.SAME_IMAGE_IN_TWO_CLASSES,
                                    file.path(),
                                    "'" + other[1] + "' (class '" + other[0] + "') and '" + file.path() + "' (class '"
                                            + name + "') are the same image (sha256 " + file.sha256()
                                            + "); keep it in one class");
                        }
                    }
                }));
    }

    private static DatasetDescription.Subset subset(
            DatasetRequest request, List<String> classes, List<List<ScannedFile>> train) {
        SubsetRule rule = request.subset();
        int perClass = request.samplesPerClass();
        if (rule != SubsetRule.ALL) {
            if (perClass < 1) {
                throw new ImageDatasetException(
                        Problem.INVALID_REQUEST, "subset.samplesPerClass", "must be at least 1, was " + perClass);
            }
            for (int label = 0; label < classes.size(); label++) {
                int available = train.get(label).size();
                if (available < perClass) {
                    throw new ImageDatasetException(
                            Problem.TOO_FEW_IMAGES,
                            classes.get(label),
                            "class '" + classes.get(label) + "' has " + available + " training image(s), the experiment"
                                    + " needs " + perClass + " per class; add images or ask for fewer");
                }
            }
        }
        // java.util.Random over the classes in label order, partial Fisher-Yates over each class's images in order:
        // the CIFAR-10 stratified-random subset's draw, applied to file lists.
        Random random = new Random(request.subsetSeed());
        List<List<ScannedFile>> chosen = new ArrayList<>();
        for (List<ScannedFile> pool : train) {
            List<ScannedFile> picked = switch (rule) {
                case ALL -> pool;
                case FIRST_PER_CLASS -> pool.subList(0, perClass);
                case STRATIFIED_RANDOM -> draw(pool, perClass, random);
            };
            chosen.add(picked);
        }
        SplitFiles files = describe("subset", rule.label(), chosen, classes);
        return new DatasetDescription.Subset(
                rule.label(),
                rule == SubsetRule.ALL ? 0 : perClass,
                request.subsetSeed(),
                files.files(),
                files.perClass(),
                files.digest());
    }

    private static List<ScannedFile> draw(List<ScannedFile> pool, int count, Random random) {
        List<ScannedFile> items = new ArrayList<>(pool);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(items.size() - i);
            Collections.swap(items, i, j);
        }
        List<ScannedFile> picked = new ArrayList<>(items.subList(0, count));
        picked.sort(ImageOrder.TORCHVISION);
        return picked;
    }

    private static SplitFiles describe(
            String name, String origin, List<List<ScannedFile>> perClass, List<String> classes) {
        List<ImageFile> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        MessageDigest digest = Checksums.sha256();
        for (int label = 0; label < perClass.size(); label++) {
            counts.add(perClass.get(label).size());
            for (ScannedFile f : perClass.get(label)) {
                files.add(new ImageFile(f.path(), label, f.sha256(), f.bytes(), f.width(), f.height()));
                digest.update((classes.get(label) + "\t" + f.sha256() + "\t" + f.path() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return new SplitFiles(name, origin, List.copyOf(files), List.copyOf(counts), Checksums.hex(digest.digest()));
    }

    /** The same bytes in two splits (same class: a different class already failed the dataset). */
    private static List<Leak> leakage(Map<Split, List<List<ScannedFile>>> splits, List<String> classes) {
        Map<String, String[]> firstSeen = new LinkedHashMap<>();
        List<Leak> leaks = new ArrayList<>();
        for (Split split : Split.values()) {
            for (List<ScannedFile> files : splits.get(split)) {
                for (ScannedFile file : files) {
                    String[] other = firstSeen.putIfAbsent(file.sha256(), new String[] {split.label(), file.path()});
                    if (other != null && !other[0].equals(split.label())) {
                        leaks.add(new Leak(file.sha256(), other[0], other[1], split.label(), file.path()));
                    }
                }
            }
        }
        return List.copyOf(leaks);
    }

    private static List<IgnoredFiles> withOutsideClassFolders(List<IgnoredFiles> ignored, List<String> outside) {
        if (outside.isEmpty()) {
            return ignored;
        }
        List<IgnoredFiles> all = new ArrayList<>(ignored);
        List<String> examples = outside.subList(0, Math.min(IgnoredFiles.EXAMPLES, outside.size()));
        all.add(new IgnoredFiles(IgnoreReason.OUTSIDE_CLASS_FOLDER, outside.size(), List.copyOf(examples)));
        return List.copyOf(all);
    }

    private static String fingerprint(List<String> classes, List<SplitFiles> splits) {
        StringBuilder text = new StringBuilder();
        for (String name : classes) {
            text.append("class\t").append(name).append('\n');
        }
        for (SplitFiles split : splits) {
            text.append(split.name()).append('\t').append(split.digest()).append('\n');
        }
        return Checksums.sha256Hex(text.toString());
    }

    /** Each class's split draws from its own seed, so adding a class leaves the others' splits as they were. */
    static long classSeed(long seed, String className) {
        byte[] h = Checksums.sha256().digest(className.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return seed ^ v;
    }
}
