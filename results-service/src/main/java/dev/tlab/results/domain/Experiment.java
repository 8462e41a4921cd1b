package dev.tlab.results.domain;

import dev.tlab.contracts.HyperParameters;
import dev.tlab.contracts.ModelSpec;
import dev.tlab.contracts.TrainingJob;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The aggregate of one experiment: its jobs, dataset, request and the eventIds already applied, and the rules that
 * derive its state from its jobs. Its REST views are built by {@link ExperimentViews}. Not thread-safe.
 */
final class Experiment {
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

    private Cancellation cancellation;
    /** The dataset service failed the experiment after it accepted it; the first failure counts. */
    private Failure failure;
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
    private final TreeSet<Long> seeds = new TreeSet<>();

    /** The dataset service cancelled the experiment: when, and why. */
    record Cancellation(Instant at, String reason) {}

    /** The dataset service failed the experiment after it accepted it: when, the request field at fault, and why. */
    record Failure(Instant at, String field, String reason) {}

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
        return !Objects.equals(before, createdAt());
    }

    /** The dataset service cancelled the experiment; the first cancellation counts. */
    boolean cancelled(Instant at, String reason) {
        announced = true;
        if (cancellation != null) {
            return false;
        }
        cancellation = new Cancellation(at, reason);
        return true;
    }

    /** The dataset service failed the experiment after it accepted it; the first failure counts. */
    boolean failed(Instant at, Instant requested, String field, String reason) {
        announced = true;
        if (failure != null) {
            return false;
        }
        failure = new Failure(at, field, reason);
        failedRequestAt = requested;
        return true;
    }

    boolean announced() {
        return announced;
    }

    boolean isCancelled() {
        return cancellation != null;
    }

    /** The cancellation, or null while the experiment is not cancelled. */
    Cancellation cancellation() {
        return cancellation;
    }

    Failure failure() {
        return failure;
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
        return cancellation != null ? cancellation.at() : null;
    }

    /** The request's time as its jobs carried it, null from older writers. */
    Instant requestedAt() {
        return requestedAt;
    }

    /** The time of its earliest and latest message, and how many were applied. */
    Instant firstEventAt() {
        return firstEventAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    int events() {
        return events;
    }

    String manifestId() {
        return manifestId;
    }

    /** The dataset's name as the messages gave it (the linked manifest, when known, says it better). */
    String dataset() {
        return dataset;
    }

    /** Whether any message said the data is synthetic. */
    boolean synthetic() {
        return synthetic;
    }

    /** The requested settings, null until a job of the dataset service told them. */
    HyperParameters hyperParameters() {
        return hyperParameters;
    }

    ModelSpec model() {
        return model;
    }

    /** strategy name -> the parameter-name patterns it trains, as requested; by name. */
    Map<String, List<String>> strategyPatterns() {
        return Collections.unmodifiableMap(strategyPatterns);
    }

    /** The requested seeds, ascending. */
    List<Long> seeds() {
        return List.copyOf(seeds);
    }

    Collection<JobRun> jobs() {
        return Collections.unmodifiableCollection(jobs.values());
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

    /**
     * Where the experiment stands, from its jobs: running while any job is under way (or some wait while others
     * finished), else cancelled once the dataset service cancelled it, else queued while jobs wait, else completed when
     * any completed and failed when none did.
     */
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
}
