package dev.tlab.dataset.subset;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.SubsetPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Draws the balanced training subset from the labels of the concatenated training batches. */
public final class SubsetSelector {
    private SubsetSelector() {}

    /** Indices chosen by {@code policy}, in the order they were chosen. */
    public static List<Integer> select(byte[] labels, int classes, SubsetPolicy policy) {
        int perClass = policy.samplesPerClass();
        checkAvailable(labels, classes, perClass);
        return switch (policy.name()) {
            case SubsetPolicy.FIRST_PER_CLASS -> firstPerClass(labels, classes, perClass);
            case SubsetPolicy.STRATIFIED_RANDOM -> stratifiedRandom(labels, classes, perClass, policy.seed());
            default -> throw new InvalidFieldException("subset.name", "unknown subset policy '" + policy.name() + "'");
        };
    }

    /** Rejects a sample count that some class cannot provide. */
    public static void checkAvailable(byte[] labels, int classes, int perClass) {
        int available = Arrays.stream(countPerClass(labels, classes)).min().orElse(0);
        if (perClass < 1 || perClass > available) {
            throw new InvalidFieldException(
                    "subset.samplesPerClass",
                    "must be between 1 and " + available + " (images of the smallest class), was " + perClass);
        }
    }

    /**
     * The notebook's loop: walk the training images in dataset order, take an index while its class has fewer than
     * {@code perClass}, stop once every class has {@code perClass}.
     */
    public static List<Integer> firstPerClass(byte[] labels, int classes, int perClass) {
        int[] counts = new int[classes];
        int wanted = classes * perClass;
        List<Integer> selected = new ArrayList<>(wanted);
        for (int index = 0; index < labels.length && selected.size() < wanted; index++) {
            int label = labels[index];
            if (counts[label] < perClass) {
                selected.add(index);
                counts[label]++;
            }
        }
        if (selected.size() < wanted) {
            throw new InvalidFieldException("subset.samplesPerClass", "not every class has " + perClass + " images");
        }
        return List.copyOf(selected);
    }

    /**
     * {@code perClass} indices per class drawn uniformly without replacement with a {@link Random} seeded by
     * {@code seed} (classes in label order, partial Fisher-Yates over each class's indices in dataset order), returned
     * in ascending (dataset) order. The same labels and seed always give the same indices.
     */
    public static List<Integer> stratifiedRandom(byte[] labels, int classes, int perClass, long seed) {
        int[] counts = countPerClass(labels, classes);
        int[][] byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int index = 0; index < labels.length; index++) {
            byClass[labels[index]][fill[labels[index]]++] = index;
        }
        Random random = new Random(seed);
        int[] selected = new int[classes * perClass];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            int[] pool = byClass[c];
            if (pool.length < perClass) {
                throw new InvalidFieldException(
                        "subset.samplesPerClass",
                        "class " + c + " has only " + pool.length + " images, fewer than " + perClass);
            }
            for (int i = 0; i < perClass; i++) {
                int j = i + random.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
                selected[k++] = pool[i];
            }
        }
        Arrays.sort(selected);
        return Arrays.stream(selected).boxed().toList();
    }

    public static int[] countPerClass(byte[] labels, int classes) {
        int[] counts = new int[classes];
        for (byte label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Images per class among {@code indices}. */
    public static List<Integer> countSelected(byte[] labels, int classes, List<Integer> indices) {
        int[] counts = new int[classes];
        for (int index : indices) {
            counts[labels[index]]++;
        }
        return Arrays.stream(counts).boxed().toList();
    }
}
