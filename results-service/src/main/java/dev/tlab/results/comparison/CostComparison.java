package dev.tlab.results.comparison;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What each strategy cost and what its accuracy bought. Every figure is per strategy over its completed runs (seeds):
 *
 * <ul>
 *   <li>device-seconds: a run's training seconds plus its evaluations' seconds on its one device (the final one, and
 *       for a run with epoch selection its validation passes too); {@code meanDeviceSeconds} is their mean over the
 *       runs, {@code totalDeviceSeconds} their sum;
 *   <li>{@code trainImagesPerSecond} = images trained (images per epoch x epochs, all runs) / training seconds (all
 *       runs); {@code evalImagesPerSecond} likewise for the eval-mode passes (final evaluations and validation);
 *   <li>{@code peakMemoryBytes}: the largest peak any run reported (null when none did);
 *   <li>{@code projectedNotebookSeconds} = {@value #NOTEBOOK_EPOCHS} x {@value #NOTEBOOK_TRAIN_IMAGES} /
 *       trainImagesPerSecond + {@value #NOTEBOOK_TEST_IMAGES} / evalImagesPerSecond: the notebook's run of this
 *       strategy (10 epochs of 3,000 images, then the 10,000 test images) at the measured speeds, so on the same device
 *       and at the image size these runs used; {@code notebookRunSeconds} adds it up for the notebook's three
 *       strategies, freeze, partial and full (null unless all three ran);
 *   <li>{@code pointsPerDeviceHour} = 100 (accuracy - accuracy of the cheapest) / ((meanDeviceSeconds - that of the
 *       cheapest) / 3600): the points of mean test accuracy each extra device-hour per run buys relative to the
 *       strategy with the fewest mean device-seconds ({@code cheapest}); negative when it buys a loss; null for the
 *       cheapest itself and for a strategy that costs the same.
 * </ul>
 */
public record CostComparison(
        List<StrategyCost> strategies,
        String cheapest,
        Double notebookRunSeconds,
        List<String> devices,
        List<Integer> imageSizes) {

    public static final int NOTEBOOK_EPOCHS = 10;
    public static final int NOTEBOOK_TRAIN_IMAGES = 3_000;
    public static final int NOTEBOOK_TEST_IMAGES = 10_000;
    public static final List<String> NOTEBOOK_STRATEGIES = List.of("freeze", "partial", "full");

    /** What one completed run (one strategy, one seed) cost and scored. */
    public record RunCost(
            String strategy,
            long seed,
            String device,
            int imageSize,
            double trainSeconds,
            long trainImages,
            double evalSeconds,
            long evalImages,
            Long peakMemoryBytes,
            double testAccuracy) {
        public RunCost {
            Objects.requireNonNull(strategy, "strategy");
            if (!(trainSeconds >= 0 && evalSeconds >= 0) || trainImages < 0 || evalImages < 0) {
                throw new IllegalArgumentException(
                        "run " + strategy + " seed " + seed + ": seconds and images cannot be negative");
            }
        }

        public double deviceSeconds() {
            return trainSeconds + evalSeconds;
        }
    }

    /** One strategy's figures (see the class for each formula). */
    public record StrategyCost(
            String strategy,
            int runs,
            double meanTrainSeconds,
            double meanEvalSeconds,
            double meanDeviceSeconds,
            double totalDeviceSeconds,
            Double trainImagesPerSecond,
            Double evalImagesPerSecond,
            Long peakMemoryBytes,
            double meanAccuracy,
            Double projectedNotebookSeconds,
            Double pointsPerDeviceHour) {}

    /** The figures of every strategy with a completed run, in the order their runs first appear. */
    public static CostComparison of(List<RunCost> runs) {
        Map<String, List<RunCost>> byStrategy = new LinkedHashMap<>();
        for (RunCost run : runs) {
            byStrategy.computeIfAbsent(run.strategy(), k -> new ArrayList<>()).add(run);
        }
        List<StrategyCost> figures = new ArrayList<>();
        for (Map.Entry<String, List<RunCost>> e : byStrategy.entrySet()) {
            figures.add(figures(e.getKey(), e.getValue()));
        }
        StrategyCost cheapest = null;
        for (StrategyCost s : figures) {
            if (cheapest == null || s.meanDeviceSeconds() < cheapest.meanDeviceSeconds()) {
                cheapest = s;
            }
        }
        List<StrategyCost> withValue = new ArrayList<>();
        for (StrategyCost s : figures) {
            withValue.add(withPointsPerHour(s, cheapest));
        }
        return new CostComparison(
                List.copyOf(withValue),
                cheapest == null ? null : cheapest.strategy(),
                notebookRun(withValue),
                List.copyOf(new TreeSet<>(runs.stream()
                        .map(RunCost::device)
                        .filter(Objects::nonNull)
                        .toList())),
                List.copyOf(new TreeSet<>(runs.stream().map(RunCost::imageSize).toList())));
    }

    /** The projected seconds of freeze, partial and full added up, or null unless all three have one. */
    private static Double notebookRun(List<StrategyCost> strategies) {
        double sum = 0;
        for (String name : NOTEBOOK_STRATEGIES) {
            Optional<Double> projected = strategies.stream()
                    .filter(s -> s.strategy().equals(name) && s.projectedNotebookSeconds() != null)
                    .map(StrategyCost::projectedNotebookSeconds)
                    .findFirst();
            if (projected.isEmpty()) {
                return null;
            }
            sum += projected.get();
        }
        return sum;
    }

    private static StrategyCost figures(String strategy, List<RunCost> runs) {
        double train = 0;
        double eval = 0;
        long trained = 0;
        long evaluated = 0;
        double accuracy = 0;
        Long peak = null;
        for (RunCost run : runs) {
            train += run.trainSeconds();
            eval += run.evalSeconds();
            trained += run.trainImages();
            evaluated += run.evalImages();
            accuracy += run.testAccuracy();
            if (run.peakMemoryBytes() != null) {
                peak = peak == null ? run.peakMemoryBytes() : Math.max(peak, run.peakMemoryBytes());
            }
        }
        int n = runs.size();
        Double trainRate = train > 0 ? trained / train : null;
        Double evalRate = eval > 0 ? evaluated / eval : null;
        Double projected = trainRate == null || evalRate == null || trainRate == 0 || evalRate == 0
                ? null
                : (double) NOTEBOOK_EPOCHS * NOTEBOOK_TRAIN_IMAGES / trainRate + NOTEBOOK_TEST_IMAGES / evalRate;
        return new StrategyCost(
                strategy,
                n,
                train / n,
                eval / n,
                (train + eval) / n,
                train + eval,
                trainRate,
                evalRate,
                peak,
                accuracy / n,
                projected,
                null);
    }

    private static StrategyCost withPointsPerHour(StrategyCost s, StrategyCost cheapest) {
        double extraHours = (s.meanDeviceSeconds() - cheapest.meanDeviceSeconds()) / 3600;
        Double perHour = s == cheapest || extraHours == 0
                ? null
                : 100 * (s.meanAccuracy() - cheapest.meanAccuracy()) / extraHours;
        return new StrategyCost(
                s.strategy(),
                s.runs(),
                s.meanTrainSeconds(),
                s.meanEvalSeconds(),
                s.meanDeviceSeconds(),
                s.totalDeviceSeconds(),
                s.trainImagesPerSecond(),
                s.evalImagesPerSecond(),
                s.peakMemoryBytes(),
                s.meanAccuracy(),
                s.projectedNotebookSeconds(),
                perHour);
    }
}
