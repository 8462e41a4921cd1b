package dev.tlab.trainer.engine;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which epoch a job with an {@link EpochSelection} is tested on, and when it stops, read from its epochs' validation
 * figures (the history, so that a resumed job decides from every epoch it trained, earlier attempts' included). The
 * rules are {@link EpochSelection}'s: an epoch is the new best only when strictly better, so a tie keeps the earlier
 * epoch; a figure that is not finite (a diverged model's loss) is never the best.
 */
public final class EpochSelector {
    private final EpochSelection selection;

    public EpochSelector(EpochSelection selection) {
        this.selection = selection;
    }

    /** The best validated epoch so far, if any epoch has a finite figure. */
    public Optional<EpochMetrics> best(List<EpochMetrics> history) {
        EpochMetrics best = null;
        for (EpochMetrics m : history) {
            if (!m.validated()) {
                continue;
            }
            double value = value(m);
            if (Double.isFinite(value) && (best == null || selection.improves(value, value(best)))) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Whether training stops now: the patience is set and the last {@code patience} epochs brought no improvement. A
     * job whose epochs have no finite figure yet counts from its first epoch.
     */
    public boolean patienceRunOut(List<EpochMetrics> history) {
        if (selection.patience() == null || history.isEmpty()) {
            return false;
        }
        int last = history.get(history.size() - 1).epoch();
        int since = best(history).map(EpochMetrics::epoch).orElse(0);
        return last - since >= selection.patience();
    }

    /**
     * The tested epoch and why, once training ended after {@code history}'s last epoch of {@code epochsAsked}. The
     * reason says why, not which: the epoch numbers are fields of their own, shown beside it.
     */
    public SelectedEpoch selected(List<EpochMetrics> history, int epochsAsked) {
        if (history.isEmpty()) {
            throw new IllegalStateException("no epoch was trained, none can be selected");
        }
        int trained = history.get(history.size() - 1).epoch();
        boolean stoppedEarly = selection.patience() != null && trained < epochsAsked;
        String stop = stoppedEarly
                ? "; stopped after " + selection.patience() + " epochs without improvement (patience "
                        + selection.patience() + ", " + epochsAsked + " asked)"
                : "";
        Optional<EpochMetrics> best = best(history);
        if (best.isEmpty()) {
            return new SelectedEpoch(
                    trained,
                    trained,
                    selection.metric(),
                    null,
                    stoppedEarly,
                    "no epoch had a finite " + selection.metricWords() + ", so the last one is tested" + stop);
        }
        EpochMetrics chosen = best.get();
        double value = value(chosen);
        long ties = history.stream()
                .filter(EpochMetrics::validated)
                .filter(m -> value(m) == value)
                .count();
        String words = (selection.metric().equals(EpochSelection.VAL_LOSS) ? "lowest " : "highest ")
                + selection.metricWords() + " (" + String.format(Locale.ROOT, "%.4f", value) + ")"
                + (ties > 1 ? ", the first of " + ties + " epochs with it" : "");
        return new SelectedEpoch(chosen.epoch(), trained, selection.metric(), value, stoppedEarly, words + stop);
    }

    private double value(EpochMetrics m) {
        return selection.valueOf(m.valLoss(), m.valAccuracy());
    }
}
