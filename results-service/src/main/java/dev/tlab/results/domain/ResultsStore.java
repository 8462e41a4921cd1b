package dev.tlab.results.domain;

import dev.tlab.contracts.DatasetManifest;
import dev.tlab.contracts.EpochCompleted;
import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.ExperimentCancelled;
import dev.tlab.contracts.ExperimentFailed;
import dev.tlab.contracts.JobCancelled;
import dev.tlab.contracts.JobCompleted;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.JobFailed;
import dev.tlab.contracts.JobRef;
import dev.tlab.contracts.JobStarted;
import dev.tlab.contracts.TrainingEvent;
import dev.tlab.contracts.TrainingJob;
import dev.tlab.contracts.api.Views;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;

/**
 * All experiments, built only from messages: the same messages in any order, any number of times, give the same
 * leaderboard. Thread-safe (one lock; applying a message takes microseconds). An experiment exists once the dataset
 * service announced it (a TrainingJob, an ExperimentCancelled or an ExperimentFailed); training events about any other
 * experiment are kept apart ({@link #unknown}) and never listed, counted or shown as running.
 */
public final class ResultsStore {
    /** Newest first by creation time (unknown last), then by id. */
    private static final Comparator<Experiment> NEWEST_FIRST = Comparator.comparing(
                    Experiment::createdAt, Comparator.nullsLast(Comparator.<java.time.Instant>reverseOrder()))
            .thenComparing(e -> e.id);

    private final Map<UUID, Experiment> experiments = new HashMap<>();
    private final Map<String, ManifestInfo> manifests = new HashMap<>();
    private final Set<UUID> seenManifestEvents = new HashSet<>();
    private final Map<UUID, CachedView> views = new HashMap<>();
    /** How many experiments are announced: {@link #size} is read for every applied event (metrics), keep it O(1). */
    private int announced;

    public synchronized Outcome apply(TrainingEvent event) {
        JobRef ref = event.job();
        Experiment experiment = experiments.computeIfAbsent(ref.experimentId(), Experiment::new);
        if (!experiment.firstSight(event.eventId())) {
            return Outcome.DUPLICATE;
        }
        experiment.touched(event.occurredAt());
        JobRun job = experiment.job(ref.jobId(), ref.strategy(), ref.seed());
        int attempt = ref.attempt();
        boolean changed;
        if (event instanceof JobStarted s) {
            boolean datasetChanged = experiment.dataset(null, s.dataset(), s.synthetic());
            changed = job.started(
                            attempt,
                            s.device(),
                            s.startEpoch(),
                            s.epochs(),
                            s.trainableParameters(),
                            s.totalParameters())
                    | datasetChanged;
            changed |= job.ranWith(attempt, new JobRun.RunRecord(s.occurredAt(), null, s.environment(), null));
            changed |= job.trainedIn(attempt, s.precision());
        } else if (event instanceof EpochCompleted e) {
            changed = job.epoch(
                    new EpochPoint(
                            e.epoch(),
                            attempt,
                            e.loss(),
                            e.trainAccuracy(),
                            e.seconds(),
                            e.imagesPerSecond(),
                            e.dataWaitSeconds(),
                            e.device(),
                            e.occurredAt(),
                            e.valLoss(),
                            e.valAccuracy()),
                    e.epochs());
        } else if (event instanceof JobCompleted c) {
            changed = job.completed(
                    attempt,
                    new JobRun.Completion(
                            c.testAccuracy(),
                            c.trainableParameters(),
                            c.totalParameters(),
                            c.wallSeconds(),
                            c.device(),
                            c.epochs(),
                            c.evaluation(),
                            c.cost(),
                            c.selection()));
            changed |= job.ranWith(
                    attempt, new JobRun.RunRecord(c.startedAt(), c.occurredAt(), c.environment(), c.model()));
        } else if (event instanceof JobFailed f) {
            changed = job.failed(
                    attempt, f.device(), f.reason(), f.occurredAt(), f.nextAttempt(), f.retryAt(), f.failedAttempts());
        } else if (event instanceof JobCancelled c) {
            changed = job.cancelled(attempt, c.device(), c.reason());
        } else {
            throw new IllegalArgumentException(
                    "unknown training event " + event.getClass().getName());
        }
        return changed(experiment, changed);
    }

    public synchronized Outcome apply(TrainingJob trainingJob) {
        Experiment experiment = experiments.computeIfAbsent(trainingJob.experimentId(), Experiment::new);
        if (!experiment.firstSight(trainingJob.eventId())) {
            return Outcome.DUPLICATE;
        }
        experiment.touched(trainingJob.occurredAt());
        boolean wasAnnounced = experiment.announced();
        boolean changed =
                experiment.announcedByJob(trainingJob.requestedAt(), trainingJob.occurredAt()) | !wasAnnounced;
        countAnnounced(wasAnnounced);
        changed |= experiment.dataset(trainingJob.manifestId(), trainingJob.dataset(), trainingJob.synthetic());
        changed |= experiment.requested(trainingJob);
        JobRun job = experiment.job(trainingJob.jobId(), trainingJob.strategy().name(), trainingJob.seed());
        changed |=
                job.queued(trainingJob.attempt(), trainingJob.hyperParameters().epochs());
        return changed(experiment, changed);
    }

    public synchronized Outcome apply(ExperimentCancelled cancellation) {
        Experiment experiment = experiments.computeIfAbsent(cancellation.experimentId(), Experiment::new);
        if (!experiment.firstSight(cancellation.eventId())) {
            return Outcome.DUPLICATE;
        }
        experiment.touched(cancellation.occurredAt());
        boolean wasAnnounced = experiment.announced();
        boolean changed = experiment.cancelled(cancellation.occurredAt(), cancellation.reason()) | !wasAnnounced;
        countAnnounced(wasAnnounced);
        return changed(experiment, changed);
    }

    /** The dataset service failed an experiment it had accepted: it is announced by this alone, and shows failed. */
    public synchronized Outcome apply(ExperimentFailed failed) {
        Experiment experiment = experiments.computeIfAbsent(failed.experimentId(), Experiment::new);
        if (!experiment.firstSight(failed.eventId())) {
            return Outcome.DUPLICATE;
        }
        experiment.touched(failed.occurredAt());
        boolean wasAnnounced = experiment.announced();
        boolean changed = experiment.failed(failed.occurredAt(), failed.requestedAt(), failed.field(), failed.reason())
                | !wasAnnounced;
        countAnnounced(wasAnnounced);
        return changed(experiment, changed);
    }

    public synchronized Outcome apply(DatasetManifest manifest) {
        if (!seenManifestEvents.add(manifest.eventId())) {
            return Outcome.DUPLICATE;
        }
        ManifestInfo info = new ManifestInfo(
                manifest.manifestId(),
                manifest.dataset(),
                manifest.synthetic(),
                manifest.policy(),
                manifest.sourceFingerprint(),
                manifest.subsetDigest(),
                manifest.testDigest(),
                manifest.ofImages() ? manifest.classNames() : null,
                DatasetReports.of(manifest.images()));
        if (info.equals(manifests.put(manifest.manifestId(), info))) {
            return Outcome.STALE;
        }
        for (Experiment experiment : experiments.values()) {
            if (manifest.manifestId().equals(experiment.manifestId())) {
                experiment.changed();
            }
        }
        return Outcome.APPLIED;
    }

    private void countAnnounced(boolean wasAnnounced) {
        if (!wasAnnounced) {
            announced++;
        }
    }

    private static Outcome changed(Experiment experiment, boolean changed) {
        if (changed) {
            experiment.changed();
            return Outcome.APPLIED;
        }
        return Outcome.STALE;
    }

    /** The experiment's view, built again only after it changed (pages poll it, metrics read it at scrape time). */
    public synchronized Optional<Views.Experiment> find(UUID experimentId) {
        Experiment experiment = experiments.get(experimentId);
        if (experiment == null || !experiment.announced()) {
            return Optional.empty();
        }
        return Optional.of(view(experiment));
    }

    private Views.Experiment view(Experiment experiment) {
        ManifestInfo manifest = manifestOf(experiment);
        CachedView cached = views.get(experiment.id);
        if (cached == null
                || cached.version() != experiment.version()
                || !Objects.equals(cached.manifest(), manifest)) {
            cached = new CachedView(experiment.version(), manifest, ExperimentViews.experiment(experiment, manifest));
            views.put(experiment.id, cached);
        }
        return cached.view();
    }

    private record CachedView(long version, ManifestInfo manifest, Views.Experiment view) {}

    /**
     * What a completed run's trainer reported beyond the leaderboard's figures; either may be null (older trainers).
     */
    public record RunFigures(Evaluation evaluation, JobCost cost) {}

    /**
     * An experiment's view and, by job id, the evaluation and cost of each run whose current state is completed, read
     * together (one version): what the comparison is computed from.
     */
    public record Snapshot(Views.Experiment experiment, Map<UUID, RunFigures> figures) {}

    /** The experiment's snapshot for the comparison; empty for an experiment this store does not list. */
    public synchronized Optional<Snapshot> snapshot(UUID experimentId) {
        Experiment experiment = experiments.get(experimentId);
        if (experiment == null || !experiment.announced()) {
            return Optional.empty();
        }
        Map<UUID, RunFigures> figures = new HashMap<>();
        for (JobRun job : experiment.jobs()) {
            JobRun.Completion completion = job.completion();
            if (completion != null) {
                figures.put(job.jobId, new RunFigures(completion.evaluation(), completion.cost()));
            }
        }
        return Optional.of(new Snapshot(view(experiment), Map.copyOf(figures)));
    }

    /** The change counter of an experiment (for live pages), or -1 when unknown. */
    public synchronized long version(UUID experimentId) {
        Experiment experiment = experiments.get(experimentId);
        return experiment == null || !experiment.announced() ? -1 : experiment.version();
    }

    /** Whether only trainers' events name the experiment: no job or cancellation of the dataset service does. */
    public synchronized boolean isUnknown(UUID experimentId) {
        Experiment experiment = experiments.get(experimentId);
        return experiment != null && !experiment.announced();
    }

    /** Experiments named only by training events, most recently active first, {@code page} 0-based. */
    public synchronized Views.Page<Views.UnknownExperiment> unknown(int page, int size) {
        List<Views.UnknownExperiment> all = experiments.values().stream()
                .filter(e -> !e.announced())
                .map(ExperimentViews::unknown)
                .sorted(Comparator.comparing(
                                Views.UnknownExperiment::lastEventAt, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(Views.UnknownExperiment::experimentId))
                .toList();
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Views.Page<>(page, size, all.size(), all.subList(from, to));
    }

    public synchronized int unknownCount() {
        return (int) experiments.values().stream().filter(e -> !e.announced()).count();
    }

    /** Experiments newest first (by their earliest event), {@code page} 0-based. */
    public synchronized Views.Page<Views.Summary> list(int page, int size) {
        List<Experiment> sorted = newestFirst();
        int from = (int) Math.min((long) page * size, sorted.size());
        int to = Math.min(from + size, sorted.size());
        List<Views.Summary> items = new ArrayList<>();
        for (Experiment experiment : sorted.subList(from, to)) {
            items.add(ExperimentViews.summary(view(experiment)));
        }
        return new Views.Page<>(page, size, sorted.size(), items);
    }

    /**
     * The ids of the newest {@code n} experiments, newest first. Asked each time an experiment is announced (which ones
     * carry gauges), so it keeps the n newest in a heap instead of sorting them all: a rebuild stays linear.
     */
    public synchronized List<UUID> newest(int n) {
        PriorityQueue<Experiment> newest = new PriorityQueue<>(NEWEST_FIRST.reversed()); // head: the oldest kept
        for (Experiment experiment : experiments.values()) {
            if (!experiment.announced() || n <= 0) {
                continue;
            }
            if (newest.size() < n) {
                newest.add(experiment);
            } else if (NEWEST_FIRST.compare(experiment, newest.peek()) < 0) {
                newest.poll();
                newest.add(experiment);
            }
        }
        List<Experiment> sorted = new ArrayList<>(newest);
        sorted.sort(NEWEST_FIRST);
        return sorted.stream().map(e -> e.id).toList();
    }

    /** How many experiments are in each state (every state present, zero included). */
    public synchronized Map<RunState, Long> countByState() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0L);
        }
        for (Experiment experiment : experiments.values()) {
            if (experiment.announced()) {
                counts.merge(experiment.state(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** How many experiments there are (those named only by training events not counted). */
    public synchronized int size() {
        return announced;
    }

    private List<Experiment> newestFirst() {
        List<Experiment> sorted = new ArrayList<>(
                experiments.values().stream().filter(Experiment::announced).toList());
        sorted.sort(NEWEST_FIRST);
        return sorted;
    }

    private ManifestInfo manifestOf(Experiment experiment) {
        return experiment.manifestId() == null ? null : manifests.get(experiment.manifestId());
    }
}
