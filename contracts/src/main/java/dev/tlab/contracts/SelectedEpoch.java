package dev.tlab.contracts;

/**
 * Which epoch a job with {@link EpochSelection} was tested on, and why (part of {@link JobCompleted}).
 *
 * @param epoch the selected epoch (1-based), the one whose model was tested and kept
 * @param epochsTrained the epochs the job trained: fewer than asked when it stopped early
 * @param metric the selection's metric ({@code valAccuracy} or {@code valLoss})
 * @param value the selected epoch's figure of that metric; null only when no epoch had a finite one (a diverged model's
 *     validation loss), in which case the last epoch is tested and {@code reason} says so
 * @param stoppedEarly whether the patience ran out before the last asked epoch
 * @param reason why that epoch, in words, e.g. "highest validation accuracy (0.8125)" (which epoch is in the fields)
 */
public record SelectedEpoch(
        Integer epoch, Integer epochsTrained, String metric, Double value, Boolean stoppedEarly, String reason) {

    public SelectedEpoch {
        Fields.intInRange(
                Fields.required(epochsTrained, "selection.epochsTrained"), 1, 1000, "selection.epochsTrained");
        Fields.intInRange(Fields.required(epoch, "selection.epoch"), 1, epochsTrained, "selection.epoch");
        metric = EpochSelection.checkedMetric(Fields.required(metric, "selection.metric"), "selection.metric");
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            throw new InvalidFieldException("selection.value", "must be a finite figure, at least 0, was " + value);
        }
        stoppedEarly = Fields.orDefault(stoppedEarly, false);
        Fields.maxLength(Fields.requiredText(reason, "selection.reason"), 500, "selection.reason");
    }
}
