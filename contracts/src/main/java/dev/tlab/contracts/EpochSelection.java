package dev.tlab.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Opt-in choice of the epoch a job is tested on ({@code hyperParameters.selection}); without it a job is tested after
 * its last epoch, as the notebook does. With it, every epoch is evaluated on the dataset's validation split, the job
 * keeps the checkpoint of its best validation epoch and tests that one, once.
 *
 * <p>The rules are those of Keras' {@code ModelCheckpoint(save_best_only=True)} and {@code EarlyStopping} with
 * {@code min_delta=0}: an epoch is an improvement only when it is strictly better than the best so far (a tie keeps the
 * earlier epoch), and with a {@code patience} of P training stops after P epochs in a row without an improvement.
 *
 * @param metric {@code valAccuracy} (the default: the highest validation accuracy wins) or {@code valLoss} (the lowest
 *     mean validation cross-entropy wins)
 * @param patience stop after this many epochs without an improvement (1 to 1000); null trains every epoch
 */
public record EpochSelection(String metric, Integer patience) {
    public static final String VAL_ACCURACY = "valAccuracy";
    public static final String VAL_LOSS = "valLoss";

    public EpochSelection {
        metric = checkedMetric(Fields.orDefault(metric, VAL_ACCURACY), "hyperParameters.selection.metric");
        if (patience != null) {
            Fields.intInRange(patience, 1, 1000, "hyperParameters.selection.patience");
        }
    }

    /** The metric when it is one of the two, else a rejection naming {@code field}. */
    static String checkedMetric(String metric, String field) {
        if (!VAL_ACCURACY.equals(metric) && !VAL_LOSS.equals(metric)) {
            throw new InvalidFieldException(
                    field, "must be " + VAL_ACCURACY + " or " + VAL_LOSS + ", was " + Fields.quote(metric));
        }
        return metric;
    }

    /** Selection by validation accuracy, every epoch trained. */
    public static EpochSelection byValidationAccuracy() {
        return new EpochSelection(null, null);
    }

    /** Whether {@code candidate} is strictly better than {@code best} by this metric. */
    public boolean improves(double candidate, double best) {
        return metric.equals(VAL_LOSS) ? candidate < best : candidate > best;
    }

    /** The figure this selection compares, from an epoch's validation loss and accuracy. */
    public double valueOf(double valLoss, double valAccuracy) {
        return metric.equals(VAL_LOSS) ? valLoss : valAccuracy;
    }

    /** Words for a reason: "validation accuracy" or "validation loss". */
    @JsonIgnore
    public String metricWords() {
        return metric.equals(VAL_LOSS) ? "validation loss" : "validation accuracy";
    }
}
