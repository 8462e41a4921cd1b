package dev.tlab.results.comparison;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes whose accuracy differs most between strategies: for each class, its accuracy (recall) under every
 * strategy, and the spread between the highest and the lowest. A class without test images has no accuracy and is left
 * out. Give each strategy its seeds' matrices pooled ({@link ConfusionMatrix#plus}).
 */
public final class ClassDifferences {
    private ClassDifferences() {}

    /**
     * One class: {@code spread} = {@code highest} - {@code lowest} (fractions); ties go to the strategy given first.
     */
    public record ClassDifference(
            String className,
            double spread,
            String highestStrategy,
            double highest,
            String lowestStrategy,
            double lowest,
            Map<String, Double> accuracyByStrategy) {}

    /**
     * The {@code limit} classes with the largest spread, largest first (equal spreads in class-map order).
     *
     * @param matrices each strategy's matrix, in the order the strategies are shown (a {@link LinkedHashMap})
     * @throws IllegalArgumentException when the matrices do not share one class map
     */
    public static List<ClassDifference> largest(Map<String, ConfusionMatrix> matrices, int limit) {
        if (matrices.size() < 2 || limit < 1) {
            return List.of();
        }
        List<String> classes = matrices.values().iterator().next().classes();
        for (Map.Entry<String, ConfusionMatrix> e : matrices.entrySet()) {
            if (!e.getValue().classes().equals(classes)) {
                throw new IllegalArgumentException("strategy " + e.getKey() + " was evaluated on other classes: "
                        + e.getValue().classes() + " instead of " + classes);
            }
        }
        List<ClassDifference> differences = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Map<String, Double> accuracies = new LinkedHashMap<>();
            for (Map.Entry<String, ConfusionMatrix> e : matrices.entrySet()) {
                long support = e.getValue().support(c);
                if (support > 0) {
                    accuracies.put(e.getKey(), (double) e.getValue().count(c, c) / support);
                }
            }
            if (accuracies.size() < 2) {
                continue;
            }
            String highest = null;
            String lowest = null;
            for (Map.Entry<String, Double> e : accuracies.entrySet()) {
                if (highest == null || e.getValue() > accuracies.get(highest)) {
                    highest = e.getKey();
                }
                if (lowest == null || e.getValue() < accuracies.get(lowest)) {
                    lowest = e.getKey();
                }
            }
            double high = accuracies.get(highest);
            double low = accuracies.get(lowest);
            differences.add(new ClassDifference(
                    classes.get(c),
                    high - low,
                    highest,
                    high,
                    lowest,
                    low,
                    java.util.Collections.unmodifiableMap(accuracies)));
        }
        // stable sort: equal spreads keep class-map order
        differences.sort(Comparator.comparingDouble(ClassDifference::spread).reversed());
        return List.copyOf(differences.subList(0, Math.min(limit, differences.size())));
    }
}
