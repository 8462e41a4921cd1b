package dev.tlab.results.domain;

import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the REST views of an experiment from its aggregate: the strategies in chart order with their ranks and
 * statistics over seeds, the notebook's leaderboard, the accepted request, the model to take home, the list's summary
 * and the view of an experiment kept apart. Reads the aggregate, never changes it.
 */
final class ExperimentViews {
    /** The notebook's strategies come first in charts, in its order; others follow by name. */
    private static final List<String> NOTEBOOK_ORDER = List.of("freeze", "partial", "full");

    private static final Comparator<String> CHART_ORDER = Comparator.comparing(ExperimentViews::notebookPosition);

    private ExperimentViews() {}

    /** The full snapshot; {@code manifest} resolves the dataset of the linked manifest, when known. */
    static Views.Experiment experiment(Experiment experiment, ManifestInfo manifest) {
        String datasetName = manifest != null ? manifest.dataset() : experiment.dataset();
        boolean isSynthetic = experiment.synthetic() || manifest != null && manifest.synthetic();
        List<Views.Strategy> strategies = strategies(experiment);
        List<Views.Strategy> ranked = strategies.stream()
                .filter(s -> s.rank() != null)
                .sorted(Comparator.comparing(Views.Strategy::rank))
                .toList();
        List<Views.Strategy> unranked =
                strategies.stream().filter(s -> s.rank() == null).toList();
        List<Views.LeaderboardRow> rows = new ArrayList<>();
        for (Views.Strategy s : ranked) {
            rows.add(row(s));
        }
        for (Views.Strategy s : unranked) {
            rows.add(row(s));
        }
        Views.Best best = ranked.isEmpty()
                ? null
                : new Views.Best(
                        ranked.get(0).strategy(),
                        ranked.get(0).testAccuracy(),
                        ranked.get(0).testAccuracy() * 100);
        String state = experiment.state().label();
        Views.Cancellation cancellation = cancellation(experiment.cancellation());
        Views.Leaderboard leaderboard = new Views.Leaderboard(
                experiment.id,
                datasetName,
                isSynthetic,
                state,
                List.copyOf(rows),
                best,
                cancellation,
                manifest == null ? null : manifest.classNames(),
                null,
                manifest == null ? null : manifest.datasetReport());
        return new Views.Experiment(
                experiment.id,
                experiment.createdAt(),
                experiment.updatedAt(),
                experiment.version(),
                state,
                datasetName,
                isSynthetic,
                experiment.manifestId(),
                ranked.stream().map(Views.Strategy::strategy).toList(),
                best,
                strategies,
                leaderboard,
                cancellation,
                request(experiment, manifest, datasetName, isSynthetic),
                bestModel(ranked),
                failure(experiment.failure()));
    }

    /** The experiment's line in the list, taken from its full view so that the two never disagree. */
    static Views.Summary summary(Views.Experiment full) {
        int completed =
                (int) full.strategies().stream().filter(s -> s.rank() != null).count();
        return new Views.Summary(
                full.experimentId(),
                full.createdAt(),
                full.updatedAt(),
                full.state(),
                full.dataset(),
                full.synthetic(),
                full.strategies().size(),
                completed,
                full.best());
    }

    /** An experiment named only by training events, as GET /unknown-experiments lists it. */
    static Views.UnknownExperiment unknown(Experiment experiment) {
        return new Views.UnknownExperiment(
                experiment.id,
                experiment.events(),
                experiment.jobs().stream()
                        .map(j -> j.strategy)
                        .distinct()
                        .sorted()
                        .toList(),
                experiment.firstEventAt(),
                experiment.updatedAt());
    }

    private static Views.Cancellation cancellation(Experiment.Cancellation cancellation) {
        return cancellation == null ? null : new Views.Cancellation(cancellation.at(), cancellation.reason());
    }

    private static Views.Failure failure(Experiment.Failure failure) {
        return failure == null ? null : new Views.Failure(failure.at(), failure.field(), failure.reason());
    }

    private static Views.Request request(
            Experiment experiment, ManifestInfo manifest, String datasetName, boolean isSynthetic) {
        if (experiment.hyperParameters() == null) {
            return null;
        }
        List<StrategySpec> strategies = experiment.strategyPatterns().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(CHART_ORDER))
                .map(e -> new StrategySpec(e.getKey(), e.getValue()))
                .toList();
        return new Views.Request(
                datasetName,
                isSynthetic,
                experiment.manifestId(),
                manifest == null ? null : manifest.sourceFingerprint(),
                manifest == null ? null : manifest.subsetDigest(),
                manifest == null ? null : manifest.testDigest(),
                manifest == null ? null : manifest.subset(),
                strategies,
                experiment.hyperParameters(),
                experiment.model(),
                experiment.seeds(),
                experiment.requestedAt());
    }

    /** The best strategy's best completed run that kept a model. */
    private static Views.BestModel bestModel(List<Views.Strategy> ranked) {
        for (Views.Strategy s : ranked) {
            Views.Run best = s.runs().stream()
                    .filter(r -> r.model() != null && r.testAccuracy() != null)
                    .max(Comparator.comparing(Views.Run::testAccuracy))
                    .orElse(null);
            if (best != null) {
                return new Views.BestModel(
                        best.jobId(),
                        s.strategy(),
                        best.seed(),
                        best.testAccuracy(),
                        best.model().sha256(),
                        best.model().bytes(),
                        best.model().href());
            }
        }
        return null;
    }

    private static Views.LeaderboardRow row(Views.Strategy s) {
        return new Views.LeaderboardRow(
                s.rank(),
                s.strategy(),
                s.state(),
                s.testAccuracy(),
                s.testAccuracy() == null ? null : s.testAccuracy() * 100,
                s.trainableParameters(),
                s.totalParameters(),
                s.seeds(),
                s.testAccuracyStd(),
                s.ci95Low(),
                s.ci95High(),
                s.precision(),
                selectedEpochs(s.runs()));
    }

    /** Which epoch each completed seed was tested on, by seed; null when no run selected one. */
    private static List<Views.SeedSelection> selectedEpochs(List<Views.Run> runs) {
        List<Views.SeedSelection> selected = runs.stream()
                .filter(r -> r.selection() != null)
                .map(r -> new Views.SeedSelection(r.seed(), r.selection()))
                .toList();
        return selected.isEmpty() ? null : selected;
    }

    /** Strategies in chart order (the notebook's first), each with its rank among completed strategies. */
    private static List<Views.Strategy> strategies(Experiment experiment) {
        Map<String, List<JobRun>> byStrategy = new TreeMap<>(CHART_ORDER.thenComparing(Comparator.naturalOrder()));
        for (JobRun job : experiment.jobs()) {
            byStrategy.computeIfAbsent(job.strategy, k -> new ArrayList<>()).add(job);
        }
        List<Views.Strategy> result = new ArrayList<>();
        for (Map.Entry<String, List<JobRun>> entry : byStrategy.entrySet()) {
            result.add(strategy(experiment, entry.getKey(), entry.getValue()));
        }
        // rank by mean test accuracy, highest first; ties by chart order (stable sort)
        List<Views.Strategy> completed = result.stream()
                .filter(s -> s.testAccuracy() != null)
                .sorted(Comparator.comparing(Views.Strategy::testAccuracy).reversed())
                .toList();
        List<Views.Strategy> withRanks = new ArrayList<>();
        for (Views.Strategy s : result) {
            int index = completed.indexOf(s);
            withRanks.add(index < 0 ? s : withRank(s, index + 1));
        }
        return withRanks;
    }

    private static Views.Strategy withRank(Views.Strategy s, int rank) {
        return new Views.Strategy(
                s.strategy(),
                s.state(),
                rank,
                s.seeds(),
                s.completedSeeds(),
                s.testAccuracy(),
                s.testAccuracyStd(),
                s.ci95Low(),
                s.ci95High(),
                s.trainableParameters(),
                s.totalParameters(),
                s.wallSeconds(),
                s.device(),
                s.precision(),
                s.progress(),
                s.epochs(),
                s.runs());
    }

    private static Views.Strategy strategy(Experiment experiment, String name, List<JobRun> jobs) {
        List<JobRun> bySeed = jobs.stream()
                .sorted(Comparator.comparingLong((JobRun j) -> j.seed))
                .toList();
        List<Views.Run> runs = bySeed.stream()
                .map(j -> RunViews.run(j, experiment.id, experiment.isCancelled()))
                .toList();
        List<Double> accuracies = new ArrayList<>();
        List<Double> walls = new ArrayList<>();
        boolean anyRunning = false;
        boolean anyQueued = false;
        boolean anyRetrying = false;
        boolean anyCompleted = false;
        boolean anyCancelled = false;
        double progressSum = 0;
        int progressCount = 0;
        for (Views.Run run : runs) {
            if (run.testAccuracy() != null) {
                accuracies.add(run.testAccuracy());
                if (run.wallSeconds() != null) {
                    walls.add(run.wallSeconds());
                }
            }
            anyRunning |= run.state().equals(RunState.RUNNING.label());
            anyQueued |= run.state().equals(RunState.QUEUED.label());
            anyRetrying |= run.state().equals(RunState.RETRYING.label());
            anyCompleted |= run.state().equals(RunState.COMPLETED.label());
            anyCancelled |= run.state().equals(RunState.CANCELLED.label());
            if (run.progress() != null) {
                progressSum += run.progress();
                progressCount++;
            }
        }
        RunState state = anyRunning
                ? RunState.RUNNING
                : anyQueued
                        ? RunState.QUEUED
                        : anyRetrying
                                ? RunState.RETRYING
                                : anyCompleted
                                        ? RunState.COMPLETED
                                        : anyCancelled ? RunState.CANCELLED : RunState.FAILED;
        Stats.Summary stats = accuracies.isEmpty() ? null : Stats.summarize(accuracies);
        Long trainable = null;
        Long total = null;
        String device = null;
        // what was requested; for an experiment known only from training events, what its runs said
        Precision precision = experiment.hyperParameters() != null
                ? experiment.hyperParameters().precision()
                : null;
        for (JobRun job : bySeed) {
            trainable = trainable != null ? trainable : job.trainableParameters();
            total = total != null ? total : job.totalParameters();
            device = device != null ? device : job.device();
            precision = precision != null ? precision : job.precision();
        }
        Double wall = walls.isEmpty()
                ? null
                : walls.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new Views.Strategy(
                name,
                state.label(),
                null,
                runs.size(),
                accuracies.size(),
                stats == null ? null : stats.mean(),
                stats == null ? null : stats.std(),
                stats == null ? null : stats.ci95Low(),
                stats == null ? null : stats.ci95High(),
                trainable,
                total,
                wall,
                device,
                precision,
                progressCount == 0 ? null : progressSum / progressCount,
                runs.get(0).epochs(),
                runs);
    }

    private static int notebookPosition(String strategy) {
        int index = NOTEBOOK_ORDER.indexOf(strategy);
        return index < 0 ? NOTEBOOK_ORDER.size() : index;
    }
}
