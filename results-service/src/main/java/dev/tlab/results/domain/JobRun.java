package dev.tlab.results.domain;

import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.api.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One training job (one strategy and seed of an experiment) across its attempts. The rules that make the aggregate
 * idempotent and order-independent live here:
 *
 * <ul>
 *   <li>the state of the highest attempt wins; within one attempt a job only moves forward (see {@link RunState});
 *   <li>epochs are keyed by epoch number and an epoch number's latest attempt wins;
 *   <li>a resumed attempt that starts at epoch k discards the earlier attempts' epochs from k on, and later arriving
 *       epochs of those earlier attempts from k on are stale.
 * </ul>
 *
 * Not thread-safe: {@link ResultsStore} serialises access.
 */
final class JobRun {
    final UUID jobId;
    final String strategy;
    final long seed;

    private RunState state;
    private int stateAttempt;
    private int latestAttempt;
    private final TreeMap<Integer, EpochPoint> epochs = new TreeMap<>();
    /** attempt -> the epoch that attempt (re)started at. */
    private final TreeMap<Integer, Integer> startEpochs = new TreeMap<>();

    private Integer epochsPlanned;
    private int epochsPlannedAttempt;
    private Long trainableParameters;
    private Long totalParameters;
    private int parametersAttempt;
    private String device;
    private int deviceAttempt;
    private Precision precision;
    private int precisionAttempt;
    private Completion completion;
    /** attempt -> why it failed (its own reason, from its report or from the history a later failure carried). */
    private final TreeMap<Integer, Failure> failures = new TreeMap<>();
    /** attempt -> the reason its JobFailed gave (for a final failure, a summary of every attempt). */
    private final TreeMap<Integer, String> reported = new TreeMap<>();
    /** When the current attempt failed and another was published: that attempt's number and start time. */
    private Integer nextAttempt;

    private Instant retryAt;
    private String cancelReason;
    /** The record of the highest attempt that reported it: when it ran, on what, and the model it kept. */
    private int recordAttempt;

    private Instant startedAt;
    private Instant finishedAt;
    private RunEnvironment environment;
    private ModelArtifact model;

    private record Failure(String reason, Instant at) {}

    /** The result of the highest completed attempt. */
    record Completion(
            int attempt,
            double testAccuracy,
            long trainableParameters,
            long totalParameters,
            double wallSeconds,
            String device,
            int epochs) {}

    JobRun(UUID jobId, String strategy, long seed) {
        this.jobId = jobId;
        this.strategy = strategy;
        this.seed = seed;
    }

    boolean queued(int attempt, Integer plannedEpochs) {
        boolean changed = noteAttempt(attempt);
        changed |= planned(attempt, plannedEpochs);
        return moveTo(RunState.QUEUED, attempt) || changed;
    }

    boolean started(int attempt, String onDevice, int startEpoch, int plannedEpochs, long trainable, long total) {
        boolean changed = noteAttempt(attempt);
        changed |= planned(attempt, plannedEpochs);
        changed |= parameters(attempt, trainable, total);
        changed |= device(attempt, onDevice);
        Integer known = startEpochs.get(attempt);
        if (known == null || startEpoch < known) {
            startEpochs.put(attempt, startEpoch);
            changed = true;
        }
        // a resumed attempt redoes epochs from startEpoch on: what earlier attempts reported there is superseded
        changed |= epochs.values().removeIf(e -> e.attempt() < attempt && e.epoch() >= startEpoch);
        return moveTo(RunState.RUNNING, attempt) || changed;
    }

    boolean epoch(EpochPoint point, int plannedEpochs) {
        if (supersededByResume(point.attempt(), point.epoch())) {
            return false;
        }
        EpochPoint existing = epochs.get(point.epoch());
        if (existing != null
                && (existing.attempt() > point.attempt()
                        || existing.attempt() == point.attempt()
                                && existing.occurredAt().isAfter(point.occurredAt()))) {
            return false;
        }
        noteAttempt(point.attempt());
        epochs.put(point.epoch(), point);
        planned(point.attempt(), plannedEpochs);
        device(point.attempt(), point.device());
        moveTo(RunState.RUNNING, point.attempt());
        return true;
    }

    boolean completed(Completion result) {
        boolean changed = noteAttempt(result.attempt());
        if (completion == null || result.attempt() >= completion.attempt()) {
            changed |= !result.equals(completion);
            completion = result;
        }
        changed |= parameters(result.attempt(), result.trainableParameters(), result.totalParameters());
        changed |= device(result.attempt(), result.device());
        return moveTo(RunState.COMPLETED, result.attempt()) || changed;
    }

    /**
     * What ran an attempt and what it kept (any argument may be null: older writers, or an event that does not know).
     * The highest attempt's record wins; within an attempt the earliest start counts.
     */
    boolean ranWith(int attempt, Instant started, Instant finished, RunEnvironment env, ModelArtifact kept) {
        if (attempt < recordAttempt) {
            return false;
        }
        if (attempt > recordAttempt) {
            recordAttempt = attempt;
            startedAt = null;
            finishedAt = null;
            environment = null;
            model = null;
        }
        boolean changed = false;
        if (started != null && (startedAt == null || started.isBefore(startedAt))) {
            startedAt = started;
            changed = true;
        }
        if (finished != null && !finished.equals(finishedAt)) {
            finishedAt = finished;
            changed = true;
        }
        if (env != null && !env.equals(environment)) {
            environment = env;
            changed = true;
        }
        if (kept != null && !kept.equals(model)) {
            model = kept;
            changed = true;
        }
        return changed;
    }

    /**
     * The precision an attempt is trained in (null: an older trainer did not say); the highest attempt that said wins.
     */
    boolean trainedIn(int attempt, Precision value) {
        if (value == null || attempt < precisionAttempt) {
            return false;
        }
        precisionAttempt = attempt; // also when unchanged, so that an older attempt's report cannot override it later
        boolean changed = value != precision;
        precision = value;
        return changed;
    }

    Precision precision() {
        return precision;
    }

    /** The model the current completed attempt kept, if any. */
    ModelArtifact model() {
        return state == RunState.COMPLETED && completion != null && recordAttempt == completion.attempt()
                ? model
                : null;
    }

    /**
     * @param next the attempt published after this failure, or null when the failure is final
     * @param history every failed attempt the event knows of (older writers send none)
     */
    boolean failed(
            int attempt,
            String onDevice,
            String reason,
            Instant at,
            Integer next,
            Instant nextAt,
            List<FailedAttempt> history) {
        boolean changed = noteAttempt(attempt);
        String own = reason;
        for (FailedAttempt failure : history) {
            if (failure.attempt() == attempt) {
                own = failure.reason();
            } else if (!failures.containsKey(failure.attempt())) {
                failures.put(failure.attempt(), new Failure(failure.reason(), failure.failedAt()));
                changed = true;
            }
        }
        Failure known = failures.get(attempt);
        boolean reasonChanged = false;
        if (known == null || at != null && known.at() != null && at.isAfter(known.at())) {
            failures.put(attempt, new Failure(own, at));
            reported.put(attempt, reason);
            reasonChanged = true;
        }
        changed |= device(attempt, onDevice);
        boolean moved = moveTo(next != null ? RunState.RETRYING : RunState.FAILED, attempt);
        if (moved || attempt == stateAttempt && !java.util.Objects.equals(next, nextAttempt)) {
            nextAttempt = next;
            retryAt = nextAt;
            changed = true;
        }
        // a failure of an attempt that is no longer the current one changes nothing visible
        return moved || changed || reasonChanged && attempt == stateAttempt && state.terminal();
    }

    boolean cancelled(int attempt, String onDevice, String reason) {
        boolean changed = noteAttempt(attempt);
        changed |= device(attempt, onDevice);
        if (moveTo(RunState.CANCELLED, attempt)) {
            cancelReason = reason;
            return true;
        }
        return changed;
    }

    private boolean supersededByResume(int attempt, int epoch) {
        for (Map.Entry<Integer, Integer> start :
                startEpochs.tailMap(attempt, false).entrySet()) {
            if (epoch >= start.getValue()) {
                return true;
            }
        }
        return false;
    }

    private boolean moveTo(RunState next, int attempt) {
        if (state == null || attempt > stateAttempt || attempt == stateAttempt && next.ordinal() > state.ordinal()) {
            state = next;
            stateAttempt = attempt;
            if (next != RunState.RETRYING) {
                nextAttempt = null;
                retryAt = null;
            }
            return true;
        }
        return false;
    }

    private boolean noteAttempt(int attempt) {
        if (attempt > latestAttempt) {
            latestAttempt = attempt;
            return true;
        }
        return false;
    }

    private boolean planned(int attempt, Integer planned) {
        if (planned != null && attempt >= epochsPlannedAttempt && !planned.equals(epochsPlanned)) {
            epochsPlanned = planned;
            epochsPlannedAttempt = attempt;
            return true;
        }
        return false;
    }

    private boolean parameters(int attempt, long trainable, long total) {
        if (attempt >= parametersAttempt
                && (!Long.valueOf(trainable).equals(trainableParameters)
                        || !Long.valueOf(total).equals(totalParameters))) {
            trainableParameters = trainable;
            totalParameters = total;
            parametersAttempt = attempt;
            return true;
        }
        return false;
    }

    private boolean device(int attempt, String name) {
        if (name != null && attempt >= deviceAttempt && !name.equals(device)) {
            device = name;
            deviceAttempt = attempt;
            return true;
        }
        return false;
    }

    RunState state() {
        return state == null ? RunState.QUEUED : state;
    }

    /** The state shown: a job of a cancelled experiment that has not started (again) never will. */
    RunState state(boolean experimentCancelled) {
        return experimentCancelled && state().waiting() ? RunState.CANCELLED : state();
    }

    /** The test accuracy that counts: only while the job's current state is completed. */
    Double testAccuracy() {
        return state == RunState.COMPLETED && completion != null ? completion.testAccuracy() : null;
    }

    Long trainableParameters() {
        return trainableParameters;
    }

    Long totalParameters() {
        return totalParameters;
    }

    String device() {
        return device;
    }

    List<EpochPoint> epochs() {
        return new ArrayList<>(epochs.values());
    }

    Views.Run view(UUID experimentId, boolean experimentCancelled) {
        List<Views.Epoch> epochViews =
                epochs.values().stream().map(EpochPoint::view).toList();
        Integer lastEpoch = epochs.isEmpty() ? null : epochs.lastKey();
        Integer startEpoch = startEpochs.get(latestAttempt);
        boolean done = state == RunState.COMPLETED;
        Double progress = epochsPlanned == null || epochsPlanned == 0
                ? null
                : done ? 1.0 : Math.min(1.0, (lastEpoch == null ? 0 : lastEpoch) / (double) epochsPlanned);
        RunState shown = state(experimentCancelled);
        String failureReason = (state == RunState.FAILED || state == RunState.RETRYING)
                ? reported.getOrDefault(
                        stateAttempt,
                        failures.containsKey(stateAttempt)
                                ? failures.get(stateAttempt).reason()
                                : null)
                : null;
        List<Views.FailedAttempt> failedAttempts = failures.entrySet().stream()
                .map(f -> new Views.FailedAttempt(
                        f.getKey(), f.getValue().reason(), f.getValue().at()))
                .toList();
        return new Views.Run(
                jobId,
                seed,
                latestAttempt,
                shown.label(),
                testAccuracy(),
                trainableParameters,
                totalParameters,
                done && completion != null ? completion.wallSeconds() : null,
                device,
                failureReason,
                startEpoch,
                epochsPlanned,
                epochs.size(),
                progress,
                epochViews,
                failedAttempts,
                shown == RunState.RETRYING ? nextAttempt : null,
                shown == RunState.RETRYING ? retryAt : null,
                shown == RunState.CANCELLED ? (cancelReason != null ? cancelReason : "cancelled") : null,
                recordAttempt == latestAttempt ? startedAt : null,
                done ? finishedAt : null,
                recordAttempt == latestAttempt ? environment : null,
                precision,
                Views.ModelFile.of(experimentId, jobId, model()));
    }
}
