package dev.tlab.results.domain;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.StrategySpec;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The aggregate of one experiment: its jobs, dataset and the eventIds already applied. Not thread-safe. */
final class Experiment {
    /** The notebook's strategies come first in charts, in its order; others follow by name. */
    private static final List<String> NOTEBOOK_ORDER = List.of("freeze", "partial", "full");

    final UUID id;
    /** When the experiment was requested, from its jobs (the dataset service copies the request's time into them). */
    private Instant requestedAt;
    /** When its first job was published: the creation time for jobs of older writers without requestedAt. */
    private Instant firstJobAt;

    private Instant firstEventAt;
    private Instant updatedAt;
    private int events;
    /** Announced by the dataset service (a TrainingJob or a cancellation); until then it is kept apart. */
    private boolean announced;

    private Views.Cancellation cancellation;
    /** The dataset service failed the experiment after it accepted it; the first failure counts. */
    private Views.Failure failure;
    /** When it was requested, as the dataset service's failure says: the creation time of one that has no job. */
    private Instant failedRequestAt;

    private long version;
    private final Set<UUID> seenEvents = new HashSet<>();
    private final Map<UUID, JobRun> jobs = new LinkedHashMap<>();
    private String manifestId;
    private String dataset;
    private boolean synthetic;
    /** From the dataset service's jobs: what was requested (the first job's settings; every job carries the same). */
    private HyperParameters hyperParameters;

    private ModelSpec model;
    private final Map<String, List<String>> strategyPatterns = new TreeMap<>();
    private final java.util.TreeSet<Long> seeds = new java.util.TreeSet<>();

    Experiment(UUID id) {
        this.id = id;
    }

    /** Records the eventId; false when it was applied before. */
    boolean firstSight(UUID eventId) {
        return seenEvents.add(eventId);
    }

    void touched(Instant at) {
        events++;
        if (at != null) {
            firstEventAt = firstEventAt == null || at.isBefore(firstEventAt) ? at : firstEventAt;
            updatedAt = updatedAt == null || at.isAfter(updatedAt) ? at : updatedAt;
        }
    }

    /** A job of the dataset service announced the experiment; true when its creation time changed. */
    boolean announcedByJob(Instant requested, Instant published) {
        announced = true;
        Instant before = createdAt();
        if (requested != null && (requestedAt == null || requested.isBefore(requestedAt))) {
            requestedAt = requested;
        }
        if (published != null && (firstJobAt == null || published.isBefore(firstJobAt))) {
            firstJobAt = published;
        }
        return !java.util.Objects.equals(before, createdAt());
    }

    /** The dataset service cancelled the experiment; the first cancellation counts. */
    boolean cancelled(Instant at, String reason) {
        announced = true;
        if (cancellation != null) {
            return false;
        }
        cancellation = new Views.Cancellation(at, reason);
        return true;
    }

    /** The dataset service failed the experiment after it accepted it; the first failure counts. */
    boolean failed(Instant at, Instant requested, String field, String reason) {
        announced = true;
        if (failure != null) {
            return false;
        }
        failure = new Views.Failure(at, field, reason);
        failedRequestAt = requested;
        return true;
    }

    boolean announced() {
        return announced;
    }

    boolean isCancelled() {
        return cancellation != null;
    }

    Views.UnknownExperiment unknownView() {
        return new Views.UnknownExperiment(
                id,
                events,
                jobs.values().stream().map(j -> j.strategy).distinct().sorted().toList(),
                firstEventAt,
                updatedAt);
    }

    void changed() {
        version++;
    }

    long version() {
        return version;
    }

    /** From the dataset service's messages only, so every start computes the same time whatever order they come in. */
    Instant createdAt() {
        if (requestedAt != null) {
            return requestedAt;
        }
        if (firstJobAt != null) {
            return firstJobAt;
        }
        if (failedRequestAt != null) {
            return failedRequestAt;
        }
        return cancellation != null ? cancellation.cancelledAt() : null;
    }

    String manifestId() {
        return manifestId;
    }

    /** A job of the dataset service: its strategy's patterns, seed and settings are part of the accepted request. */
    boolean requested(TrainingJob job) {
        boolean changed = false;
        if (hyperParameters == null) {
            hyperParameters = job.hyperParameters();
            model = job.model();
            changed = true;
        }
        if (!job.strategy()
                .trainable()
                .equals(strategyPatterns.put(
                        job.strategy().name(), job.strategy().trainable()))) {
            changed = true;
        }
        return seeds.add(job.seed()) || changed;
    }

    private Views.Request request(ManifestInfo manifest, String datasetName, boolean isSynthetic) {
        if (hyperParameters == null) {
            return null;
        }
        List<StrategySpec> strategies = strategyPatterns.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<String>> e) -> NOTEBOOK_ORDER.contains(e.getKey())
                        ? NOTEBOOK_ORDER.indexOf(e.getKey())
                        : NOTEBOOK_ORDER.size()))
                .map(e -> new StrategySpec(e.getKey(), e.getValue()))
                .toList();
        return new Views.Request(
                datasetName,
                isSynthetic,
                manifestId,
                manifest == null ? null : manifest.sourceFingerprint(),
                manifest == null ? null : manifest.subsetDigest(),
                manifest == null ? null : manifest.testDigest(),
                manifest == null ? null : manifest.subset(),
                strategies,
                hyperParameters,
                model,
                List.copyOf(seeds),
                requestedAt);
    }

    /** The best strategy's best completed run that kept a model. */
    private Views.BestModel bestModel(List<Views.Strategy> ranked) {
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

    JobRun job(UUID jobId, String strategy, long seed) {
        return jobs.computeIfAbsent(jobId, id -> new JobRun(id, strategy, seed));
    }

    boolean dataset(String manifest, String name, boolean isSynthetic) {
        boolean changed = false;
        if (manifest != null && !manifest.equals(manifestId)) {
            manifestId = manifest;
            changed = true;
        }
        if (name != null && dataset == null) {
            dataset = name;
            changed = true;
        }
        if (isSynthetic && !synthetic) {
            // synthetic is sticky: any source saying so marks the experiment, so nobody mistakes it for CIFAR-10
            synthetic = true;
            changed = true;
        }
        return changed;
    }

    RunState state() {
        if (failure != null) {
            return RunState.FAILED; // it cannot complete: no further job of it is published (each job shows its own)
        }
        boolean anyRunning = false;
        boolean anyWaiting = false;
        boolean anyCompleted = false;
        boolean anyTerminal = false;
        for (JobRun job : jobs.values()) {
            RunState state = job.state(isCancelled());
            anyRunning |= state == RunState.RUNNING || state == RunState.RETRYING; // a retry: the job is under way
            anyWaiting |= state.waiting();
            anyCompleted |= state == RunState.COMPLETED;
            anyTerminal |= state.terminal();
        }
        if (anyRunning || anyWaiting && anyTerminal) {
            return RunState.RUNNING; // a cancelled experiment's running job stops at its next batch
        }
        if (isCancelled()) {
            return RunState.CANCELLED;
        }
        if (anyWaiting || jobs.isEmpty()) {
            return RunState.QUEUED;
        }
        return anyCompleted ? RunState.COMPLETED : RunState.FAILED;
    }

    /** Builds the full snapshot; {@code manifest} resolves the dataset of the linked manifest, when known. */
    Views.Experiment view(ManifestInfo manifest) {
        String datasetName = manifest != null ? manifest.dataset() : dataset;
        boolean isSynthetic = synthetic || manifest != null && manifest.synthetic();
        List<Views.Strategy> strategies = strategies();
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
        String state = state().label();
        Views.Leaderboard leaderboard =
                new Views.Leaderboard(id, datasetName, isSynthetic, state, List.copyOf(rows), best, cancellation);
        return new Views.Experiment(
                id,
                createdAt(),
                updatedAt,
                version,
                state,
                datasetName,
                isSynthetic,
                manifestId,
                ranked.stream().map(Views.Strategy::strategy).toList(),
                best,
                strategies,
                leaderboard,
                cancellation,
                request(manifest, datasetName, isSynthetic),
                bestModel(ranked),
                failure);
    }

    Views.Summary summary(ManifestInfo manifest) {
        Views.Experiment full = view(manifest);
        int completed =
                (int) full.strategies().stream().filter(s -> s.rank() != null).count();
        return new Views.Summary(
                id,
                full.createdAt(),
                full.updatedAt(),
                full.state(),
                full.dataset(),
                full.synthetic(),
                full.strategies().size(),
                completed,
                full.best());
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
                s.precision());
    }

    /** Strategies in chart order (the notebook's first), each with its rank among completed strategies. */
    private List<Views.Strategy> strategies() {
        Map<String, List<JobRun>> byStrategy = new TreeMap<>(Comparator.comparing((String name) ->
                        NOTEBOOK_ORDER.contains(name) ? NOTEBOOK_ORDER.indexOf(name) : NOTEBOOK_ORDER.size())
                .thenComparing(Comparator.naturalOrder()));
        for (JobRun job : jobs.values()) {
            byStrategy.computeIfAbsent(job.strategy, k -> new ArrayList<>()).add(job);
        }
        List<Views.Strategy> result = new ArrayList<>();
        for (Map.Entry<String, List<JobRun>> entry : byStrategy.entrySet()) {
            result.add(strategy(entry.getKey(), entry.getValue(), isCancelled()));
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

    private Views.Strategy strategy(String name, List<JobRun> jobs, boolean experimentCancelled) {
        List<JobRun> bySeed = jobs.stream()
                .sorted(Comparator.comparingLong((JobRun j) -> j.seed))
                .toList();
        List<Views.Run> runs =
                bySeed.stream().map(j -> j.view(id, experimentCancelled)).toList();
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
        Precision precision = hyperParameters != null ? hyperParameters.precision() : null;
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
}
