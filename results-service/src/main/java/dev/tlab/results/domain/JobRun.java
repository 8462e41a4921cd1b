package dev.tlab.results.domain;

import dev.tlab.contracts.Evaluation;
import dev.tlab.contracts.FailedAttempt;
import dev.tlab.contracts.JobCost;
import dev.tlab.contracts.ModelArtifact;
import dev.tlab.contracts.Precision;
import dev.tlab.contracts.RunEnvironment;
import dev.tlab.contracts.SelectedEpoch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One training job (one strategy and seed of an experiment) across its attempts. The rules that make the aggregate
 * idempotent and order-independent live here:
 *
 * <ul>
 *   <li>the state of the highest attempt wins; within one attempt a job only moves forward (see {@link RunState});
 *   <li>every other fact an attempt reports (planned epochs, parameters, device, precision, result, the record of what
 *       ran it) is the highest reporting attempt's, even when it repeats the known value (see {@link Latest});
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

    /** What the highest attempt that reported each fact said (see {@link Latest}). */
    private final Latest<Integer> epochsPlanned = Latest.lastReportWins();

    private final Latest<Parameters> parameters = Latest.lastReportWins();
    private final Latest<String> device = Latest.lastReportWins();
    /** The precision an attempt is trained in (absent: an older trainer did not say). */
    private final Latest<Precision> precision = Latest.lastReportWins();
    /** The result of the highest completed attempt. */
    private final Latest<Completion> completion = Latest.lastReportWins();
    /** When the highest attempt that reported it ran, on what, and the model it kept; within an attempt, merged. */
    private final Latest<RunRecord> record = Latest.merging(RunRecord::merge);

    /** attempt -> why it failed (its own reason, from its report or from the history a later failure carried). */
    private final TreeMap<Integer, Failure> failures = new TreeMap<>();
    /** attempt -> the reason its JobFailed gave (for a final failure, a summary of every attempt). */
    private final TreeMap<Integer, String> reported = new TreeMap<>();
    /** When the current attempt failed and another was published: that attempt's number and start time. */
    private Integer nextAttempt;

    private Instant retryAt;
    private String cancelReason;

    /** Why an attempt failed and when. */
    record Failure(String reason, Instant at) {}

    /**
     * What a completed attempt reported; {@code evaluation} and {@code cost} are null from trainers older than the
     * comparison, {@code selection} unless the job selected its epoch on a validation split. Kept whole, so that the
     * selection is the same attempt's as the test accuracy it explains.
     */
    record Completion(
            double testAccuracy,
            long trainableParameters,
            long totalParameters,
            double wallSeconds,
            String device,
            int epochs,
            Evaluation evaluation,
            JobCost cost,
            SelectedEpoch selection) {

        Completion(
                double testAccuracy,
                long trainableParameters,
                long totalParameters,
                double wallSeconds,
                String device,
                int epochs) {
            this(testAccuracy, trainableParameters, totalParameters, wallSeconds, device, epochs, null, null, null);
        }
    }

    /** How many parameters an attempt trains, of how many. */
    record Parameters(long trainable, long total) {}

    /**
     * What ran an attempt and what it kept; any part may be null (older writers, or an event that does not know).
     * Within an attempt the earliest start counts and each later report fills in or replaces what it says.
     */
    record RunRecord(Instant startedAt, Instant finishedAt, RunEnvironment environment, ModelArtifact model) {
        static RunRecord merge(RunRecord known, RunRecord reported) {
            return new RunRecord(
                    known.startedAt == null
                                    || reported.startedAt != null && reported.startedAt.isBefore(known.startedAt)
                            ? reported.startedAt
                            : known.startedAt,
                    reported.finishedAt != null ? reported.finishedAt : known.finishedAt,
                    reported.environment != null ? reported.environment : known.environment,
                    reported.model != null ? reported.model : known.model);
        }
    }

    JobRun(UUID jobId, String strategy, long seed) {
        this.jobId = jobId;
        this.strategy = strategy;
        this.seed = seed;
    }

    boolean queued(int attempt, Integer plannedEpochs) {
        boolean changed = noteAttempt(attempt);
        changed |= epochsPlanned.report(attempt, plannedEpochs);
        return moveTo(RunState.QUEUED, attempt) || changed;
    }

    boolean started(int attempt, String onDevice, int startEpoch, int plannedEpochs, long trainable, long total) {
        boolean changed = noteAttempt(attempt);
        changed |= epochsPlanned.report(attempt, plannedEpochs);
        changed |= parameters.report(attempt, new Parameters(trainable, total));
        changed |= device.report(attempt, onDevice);
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
        epochsPlanned.report(point.attempt(), plannedEpochs);
        device.report(point.attempt(), point.device());
        moveTo(RunState.RUNNING, point.attempt());
        return true;
    }

    boolean completed(int attempt, Completion result) {
        boolean changed = noteAttempt(attempt);
        changed |= completion.report(attempt, result);
        changed |= parameters.report(attempt, new Parameters(result.trainableParameters(), result.totalParameters()));
        changed |= device.report(attempt, result.device());
        return moveTo(RunState.COMPLETED, attempt) || changed;
    }

    /** What ran an attempt and what it kept (see {@link RunRecord}): the highest attempt's record wins. */
    boolean ranWith(int attempt, RunRecord reported) {
        return record.report(attempt, reported);
    }

    /** The precision an attempt is trained in (null: an older trainer did not say). */
    boolean trainedIn(int attempt, Precision value) {
        return precision.report(attempt, value);
    }

    Precision precision() {
        return precision.value();
    }

    /** The model the current completed attempt kept, if any. */
    ModelArtifact model() {
        return state == RunState.COMPLETED
                        && completion.value() != null
                        && record.value() != null
                        && record.attempt() == completion.attempt()
                ? record.value().model()
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
        changed |= device.report(attempt, onDevice);
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
        changed |= device.report(attempt, onDevice);
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

    RunState state() {
        return state == null ? RunState.QUEUED : state;
    }

    /** The state shown: a job of a cancelled experiment that has not started (again) never will. */
    RunState state(boolean experimentCancelled) {
        return experimentCancelled && state().waiting() ? RunState.CANCELLED : state();
    }

    /** The test accuracy that counts: only while the job's current state is completed. */
    Double testAccuracy() {
        return state == RunState.COMPLETED && completion.value() != null
                ? completion.value().testAccuracy()
                : null;
    }

    Long trainableParameters() {
        return parameters.value() == null ? null : parameters.value().trainable();
    }

    Long totalParameters() {
        return parameters.value() == null ? null : parameters.value().total();
    }

    String device() {
        return device.value();
    }

    Integer epochsPlanned() {
        return epochsPlanned.value();
    }

    /** What ran the job's latest attempt, or null when that attempt has not said (yet). */
    RunRecord currentRecord() {
        return record.attempt() == latestAttempt ? record.value() : null;
    }

    List<EpochPoint> epochs() {
        return new ArrayList<>(epochs.values());
    }

    /** The epoch the latest attempt (re)started at, null until it said. */
    Integer startEpoch() {
        return startEpochs.get(latestAttempt);
    }

    /** The highest attempt any message named. */
    int latestAttempt() {
        return latestAttempt;
    }

    /** The final evaluation and cost of the completed attempt that counts; null unless the job is completed. */
    Completion completion() {
        return state == RunState.COMPLETED ? completion.value() : null;
    }

    /** The epoch the completed attempt that counts was tested on; null unless completed with a selection. */
    SelectedEpoch selection() {
        Completion done = completion();
        return done == null ? null : done.selection();
    }

    /** The wall time that counts: only while the job's current state is completed. */
    Double wallSeconds() {
        return state == RunState.COMPLETED && completion.value() != null
                ? completion.value().wallSeconds()
                : null;
    }

    /** When the completed attempt finished; null unless the job is completed. */
    Instant finishedAt() {
        return state == RunState.COMPLETED && record.value() != null
                ? record.value().finishedAt()
                : null;
    }

    /**
     * Why the current attempt failed, while the job is failed or retrying: the reason its JobFailed gave (for a final
     * failure, a summary of every attempt), else the one a later failure's history carried.
     */
    String failureReason() {
        if (state != RunState.FAILED && state != RunState.RETRYING) {
            return null;
        }
        Failure own = failures.get(stateAttempt);
        return reported.getOrDefault(stateAttempt, own != null ? own.reason() : null);
    }

    /** attempt -> why it failed, lowest attempt first. */
    SortedMap<Integer, Failure> failures() {
        return Collections.unmodifiableSortedMap(failures);
    }

    /** The attempt published after the current one failed, while the job is retrying; else null. */
    Integer nextAttempt() {
        return nextAttempt;
    }

    /** When {@link #nextAttempt} may start, while the job is retrying; else null. */
    Instant retryAt() {
        return retryAt;
    }

    /** The reason the trainer gave when it stopped the job for a cancellation, null when it gave none. */
    String cancelReason() {
        return cancelReason;
    }
}
