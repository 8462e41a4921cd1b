package dev.tlab.cli.view;

import dev.tlab.contracts.api.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Live progress of an experiment, one line per strategy. On a terminal the block is redrawn in place; elsewhere (logs,
 * CI) a line is printed only when it changed.
 */
public final class ProgressView {
    private static final int BAR = 20;
    private final PrintStream out;
    private final boolean redraw;
    private String lastBlock = "";
    private int lastLines;

    public ProgressView(PrintStream out, boolean terminal) {
        this.out = out;
        this.redraw = terminal;
    }

    public void show(Views.Experiment experiment) {
        String block = render(experiment);
        if (block.equals(lastBlock)) {
            return;
        }
        if (redraw && lastLines > 0) {
            out.print("\u001b[" + lastLines + "F\u001b[J");
            out.print(block);
        } else if (redraw) {
            out.print(block);
        } else {
            String[] previous = lastBlock.split("\n");
            String[] now = block.split("\n");
            for (int i = 0; i < now.length; i++) {
                if (i >= previous.length || !now[i].equals(previous[i])) {
                    out.println(now[i]);
                }
            }
        }
        out.flush();
        lastBlock = block;
        lastLines = (int) block.chars().filter(c -> c == '\n').count();
    }

    static String render(Views.Experiment experiment) {
        StringBuilder out = new StringBuilder();
        for (Views.Strategy strategy : experiment.strategies()) {
            List<Views.Epoch> epochs = strategy.epochs();
            Views.Epoch last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
            int planned = plannedEpochs(strategy);
            int done = last == null ? 0 : last.epoch();
            double progress =
                    strategy.progress() != null ? strategy.progress() : planned > 0 ? (double) done / planned : 0;
            int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * BAR);
            out.append(String.format(
                    Locale.ROOT,
                    "  %-12s %-9s [%s%s] epoch %2d/%-2s",
                    strategy.strategy(),
                    strategy.state(),
                    "#".repeat(filled),
                    ".".repeat(BAR - filled),
                    done,
                    planned > 0 ? Integer.toString(planned) : "?"));
            if (last != null) {
                out.append(String.format(
                        Locale.ROOT,
                        "  loss %.4f  acc %6.2f%%  %7.1f img/s",
                        last.loss(),
                        100 * last.trainAccuracy(),
                        last.imagesPerSecond()));
            }
            if (strategy.testAccuracy() != null) {
                out.append(String.format(Locale.ROOT, "  test %.2f%%", 100 * strategy.testAccuracy()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int plannedEpochs(Views.Strategy strategy) {
        for (Views.Run run : strategy.runs()) {
            if (run.epochsPlanned() != null) {
                return run.epochsPlanned();
            }
        }
        return 0;
    }
}
