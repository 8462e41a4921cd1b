package dev.tlab.results.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One training job (one strategy and seed of an experiment) across its attempts. The rules that make the aggregate
 * idempotent and order-independent live here:
 * <ul>
 * <li>the state of the highest attempt wins; within one attempt a job only moves forward (see {@link RunState});</li>
 * <li>epochs are keyed by epoch number and an epoch number's latest attempt wins;</li>
 * <li>a resumed attempt that starts at epoch k discards the earlier attempts' epochs from k on, and later arriving
 * epochs of those earlier attempts from k on are stale.</li>
 * </ul>
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
    private Completion completion;
    /** attempt -> why it failed (the latest report of that attempt). */
    private final TreeMap<Integer, Failure> failures = new TreeMap<>();

    private record Failure(String reason, Instant at) {
    }

    /** The result of the highest completed attempt. */
    record Completion(int attempt, double testAccuracy, long trainableParameters, long totalParameters,
            double wallSeconds, String device, int epochs) {
    }

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
        if (existing != null && (existing.attempt() > point.attempt()
                || existing.attempt() == point.attempt() && existing.occurredAt().isAfter(point.occurredAt()))) {
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

    boolean failed(int attempt, String onDevice, String reason, Instant at) {
        boolean changed = noteAttempt(attempt);
        Failure known = failures.get(attempt);
        boolean reasonChanged = false;
        if (known == null || at != null && known.at() != null && at.isAfter(known.at())) {
            failures.put(attempt, new Failure(reason, at));
            reasonChanged = true;
        }
        changed |= device(attempt, onDevice);
        boolean moved = moveTo(RunState.FAILED, attempt);
        // a failure of an attempt that is no longer the current one changes nothing visible
        return moved || changed || reasonChanged && attempt == stateAttempt && state == RunState.FAILED;
    }

    private boolean supersededByResume(int attempt, int epoch) {
        for (Map.Entry<Integer, Integer> start : startEpochs.tailMap(attempt, false).entrySet()) {
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
                && (!Long.valueOf(trainable).equals(trainableParameters) || !Long.valueOf(total).equals(totalParameters))) {
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

    Views.Run view() {
        List<Views.Epoch> epochViews = epochs.values().stream().map(Views.Epoch::of).toList();
        Integer lastEpoch = epochs.isEmpty() ? null : epochs.lastKey();
        Integer startEpoch = startEpochs.get(latestAttempt);
        boolean done = state == RunState.COMPLETED;
        Double progress = epochsPlanned == null || epochsPlanned == 0 ? null
                : done ? 1.0 : Math.min(1.0, (lastEpoch == null ? 0 : lastEpoch) / (double) epochsPlanned);
        return new Views.Run(jobId, seed, latestAttempt, state().label(), testAccuracy(), trainableParameters,
                totalParameters, done && completion != null ? completion.wallSeconds() : null, device,
                state == RunState.FAILED && failures.containsKey(stateAttempt) ? failures.get(stateAttempt).reason() : null, startEpoch, epochsPlanned, epochs.size(), progress,
                epochViews);
    }

    Instant lastEpochTime() {
        return epochs.values().stream().map(EpochPoint::occurredAt).max(Instant::compareTo).orElse(null);
    }
}
