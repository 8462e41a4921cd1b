package dev.tlab.images;

import dev.tlab.images.ImageDatasetException.Problem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which class (and split) each scanned image belongs to, by the layouts every image tool reads:
 *
 * <ul>
 *   <li>{@code root/<class>/.../<image>}: the class is the top folder's name; images at any depth below it belong to
 *       it, as torchvision's {@code ImageFolder} and Keras' {@code image_dataset_from_directory} walk (Hugging Face
 *       labels by the immediate parent folder instead);
 *   <li>{@code root/{train,val|validation,test}/<class>/.../<image>}: split folders (names case-insensitive), never
 *       taken for classes; a split folder may not stand beside other folders.
 * </ul>
 *
 * A root holding nothing but one folder that itself holds folders (an archive of {@code flowers/<class>/...}) is looked
 * into, as many times as that holds. Images beside the class folders are ignored and counted. Classes are sorted by
 * code point, the order of torchvision's {@code find_classes}.
 */
public record DatasetLayout(
        Kind kind, String prefix, List<String> classes, Map<Split, Map<String, List<ScannedFile>>> files) {

    public enum Kind {
        CLASS_FOLDERS("class-folders"),
        SPLIT_FOLDERS("split-folders");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Assigns every image of the scan, or fails naming the folder or class that breaks the layout. */
    public static DatasetLayout of(ScannedDataset scan) {
        String prefix = unwrap(scan);
        Map<String, Split> splitFolders = new TreeMap<>(CodePoints.ORDER);
        Set<String> topFolders = new TreeSet<>(CodePoints.ORDER);
        for (String path : allPaths(scan)) {
            String rest = below(path, prefix);
            if (rest != null && rest.contains("/")) {
                topFolders.add(rest.substring(0, rest.indexOf('/')));
            }
        }
        for (String folder : scan.folders()) {
            String rest = below(folder, prefix);
            if (rest != null && !rest.isEmpty()) {
                topFolders.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
            }
        }
        for (String folder : topFolders) {
            Split.ofFolder(folder).ifPresent(split -> splitFolders.put(folder, split));
        }
        Kind kind = splitFolders.isEmpty() ? Kind.CLASS_FOLDERS : Kind.SPLIT_FOLDERS;
        if (kind == Kind.SPLIT_FOLDERS) {
            checkSplitFolders(prefix, topFolders, splitFolders);
        }
        int classDepth = kind == Kind.SPLIT_FOLDERS ? 1 : 0;

        // Class folders per split, from the folders seen and from the images' paths (zips may list no folders).
        Map<Split, Set<String>> classFolders = new EnumMap<>(Split.class);
        for (String folder : scan.folders()) {
            String rest = below(folder, prefix);
            if (rest == null || rest.isEmpty()) {
                continue;
            }
            String[] parts = rest.split("/");
            if (parts.length == classDepth + 1) {
                Split split = kind == Kind.SPLIT_FOLDERS ? splitFolders.get(parts[0]) : Split.TRAIN;
                classFolders
                        .computeIfAbsent(split, s -> new TreeSet<>(CodePoints.ORDER))
                        .add(parts[classDepth]);
            }
        }
        Map<Split, Map<String, List<ScannedFile>>> files = new EnumMap<>(Split.class);
        for (ScannedFile image : scan.images()) {
            String rest = below(image.path(), prefix);
            String[] parts = rest.split("/");
            if (parts.length <= classDepth + 1) {
                continue; // beside the class folders: counted as ignored by the planner
            }
            Split split = kind == Kind.SPLIT_FOLDERS ? splitFolders.get(parts[0]) : Split.TRAIN;
            String className = parts[classDepth];
            classFolders
                    .computeIfAbsent(split, s -> new TreeSet<>(CodePoints.ORDER))
                    .add(className);
            files.computeIfAbsent(split, s -> new TreeMap<>(CodePoints.ORDER))
                    .computeIfAbsent(className, c -> new ArrayList<>())
                    .add(image);
        }
        checkClasses(scan, prefix, kind, classFolders, files);
        List<String> classes = new ArrayList<>(classFolders.getOrDefault(Split.TRAIN, new TreeSet<>()));
        Map<Split, Map<String, List<ScannedFile>>> ordered = new EnumMap<>(Split.class);
        files.forEach((split, byClass) -> {
            Map<String, List<ScannedFile>> sortedByClass = new LinkedHashMap<>();
            for (String name : classes) {
                List<ScannedFile> list = new ArrayList<>(byClass.getOrDefault(name, List.of()));
                list.sort(ImageOrder.TORCHVISION);
                sortedByClass.put(name, List.copyOf(list));
            }
            ordered.put(split, sortedByClass);
        });
        return new DatasetLayout(kind, prefix, List.copyOf(classes), ordered);
    }

    /** The images directly beside the class (or split) folders: not in any class. */
    public List<String> outsideClassFolders(ScannedDataset scan) {
        int classDepth = kind == Kind.SPLIT_FOLDERS ? 1 : 0;
        List<String> outside = new ArrayList<>();
        for (ScannedFile image : scan.images()) {
            String rest = below(image.path(), prefix);
            if (rest.split("/").length <= classDepth + 1) {
                outside.add(image.path());
            }
        }
        return outside;
    }

    private static void checkSplitFolders(String prefix, Set<String> topFolders, Map<String, Split> splitFolders) {
        for (String folder : topFolders) {
            if (!splitFolders.containsKey(folder)) {
                throw new ImageDatasetException(
                        Problem.LAYOUT,
                        prefix + folder,
                        "folder '" + prefix + folder + "' stands beside the split folders " + splitFolders.keySet()
                                + ": a dataset with split folders holds only train/, val/ (or validation/) and test/,"
                                + " each with one folder per class");
            }
        }
        Map<Split, String> seen = new EnumMap<>(Split.class);
        splitFolders.forEach((folder, split) -> {
            String other = seen.put(split, folder);
            if (other != null) {
                throw new ImageDatasetException(
                        Problem.LAYOUT,
                        prefix + folder,
                        "folders '" + prefix + other + "' and '" + prefix + folder + "' both name the " + split.label()
                                + " split; keep one");
            }
        });
        if (!seen.containsKey(Split.TRAIN)) {
            throw new ImageDatasetException(
                    Problem.LAYOUT,
                    prefix + "train",
                    "the dataset has split folders " + splitFolders.keySet() + " but no '" + prefix
                            + "train/' folder with the training images");
        }
    }

    private static void checkClasses(
            ScannedDataset scan,
            String prefix,
            Kind kind,
            Map<Split, Set<String>> classFolders,
            Map<Split, Map<String, List<ScannedFile>>> files) {
        Set<String> train = classFolders.getOrDefault(Split.TRAIN, Set.of());
        if (train.size() < 2) {
            throw new ImageDatasetException(
                    Problem.TOO_FEW_CLASSES,
                    prefix + (kind == Kind.SPLIT_FOLDERS ? "train" : ""),
                    "a dataset needs at least two classes (one folder per class"
                            + (kind == Kind.SPLIT_FOLDERS ? " in train/" : "") + "), found "
                            + (train.isEmpty()
                                    ? "none"
                                    : "only '" + train.iterator().next() + "'"));
        }
        for (var entry : classFolders.entrySet()) {
            Split split = entry.getKey();
            for (String name : entry.getValue()) {
                if (files.getOrDefault(split, Map.of())
                        .getOrDefault(name, List.of())
                        .isEmpty()) {
                    String folder = prefix
                            + (kind == Kind.SPLIT_FOLDERS ? splitFolderName(scan, prefix, split) + "/" : "")
                            + name;
                    long rejected = scan.rejects().stream()
                            .filter(r -> r.path().startsWith(folder + "/"))
                            .count();
                    throw new ImageDatasetException(
                            Problem.EMPTY_CLASS,
                            name,
                            "class folder '" + folder + "' has no usable image"
                                    + (rejected > 0 ? " (its " + rejected + " image file(s) were rejected)" : "")
                                    + "; add images or remove the folder");
                }
            }
        }
        for (var entry : classFolders.entrySet()) {
            if (entry.getKey() == Split.TRAIN) {
                continue;
            }
            Set<String> other = entry.getValue();
            String label = entry.getKey().label();
            for (String name : train) {
                if (!other.contains(name)) {
                    throw new ImageDatasetException(
                            Problem.CLASS_MISSING_IN_SPLIT,
                            name,
                            "class '" + name + "' is in train/ but not in " + label
                                    + "/; every split needs every class");
                }
            }
            for (String name : other) {
                if (!train.contains(name)) {
                    throw new ImageDatasetException(
                            Problem.CLASS_MISSING_IN_SPLIT,
                            name,
                            "class '" + name + "' is in " + label
                                    + "/ but not in train/; every split needs every class");
                }
            }
        }
    }

    private static String splitFolderName(ScannedDataset scan, String prefix, Split split) {
        for (String path : allPaths(scan)) {
            String rest = below(path, prefix);
            if (rest != null && rest.contains("/")) {
                String top = rest.substring(0, rest.indexOf('/'));
                if (Split.ofFolder(top).orElse(null) == split) {
                    return top;
                }
            }
        }
        for (String folder : scan.folders()) {
            String rest = below(folder, prefix);
            if (rest != null && !rest.isEmpty()) {
                String top = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
                if (Split.ofFolder(top).orElse(null) == split) {
                    return top;
                }
            }
        }
        return split.label();
    }

    /** The wrapper folders to look through: while the level holds exactly one folder, no file, and folders below it. */
    private static String unwrap(ScannedDataset scan) {
        List<String> paths = allPaths(scan);
        String prefix = "";
        while (true) {
            Set<String> names = new HashSet<>();
            boolean files = false;
            boolean deeper = false;
            for (String path : paths) {
                String rest = below(path, prefix);
                if (rest == null) {
                    continue;
                }
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    files = true;
                } else {
                    names.add(rest.substring(0, slash));
                    deeper |= rest.indexOf('/', slash + 1) >= 0;
                }
            }
            for (String folder : scan.folders()) {
                String rest = below(folder, prefix);
                if (rest != null && !rest.isEmpty()) {
                    int slash = rest.indexOf('/');
                    names.add(slash < 0 ? rest : rest.substring(0, slash));
                    deeper |= slash >= 0;
                }
            }
            if (files || names.size() != 1 || !deeper) {
                return prefix;
            }
            String only = names.iterator().next();
            if (Split.ofFolder(only).isPresent()) {
                return prefix;
            }
            prefix = prefix + only + "/";
        }
    }

    private static List<String> allPaths(ScannedDataset scan) {
        List<String> paths =
                new ArrayList<>(scan.images().size() + scan.rejects().size());
        scan.images().forEach(i -> paths.add(i.path()));
        scan.rejects().forEach(r -> paths.add(r.path()));
        return paths;
    }

    /** The path below the prefix, or null when it is not below it. */
    private static String below(String path, String prefix) {
        return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
    }
}
