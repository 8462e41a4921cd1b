package dev.tlab.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Live progress of an experiment, one line per strategy. On a terminal the block is redrawn in place; elsewhere
 * (logs, CI) a line is printed only when it changed.
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

    public void show(JsonNode experiment) {
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

    static String render(JsonNode experiment) {
        StringBuilder out = new StringBuilder();
        for (JsonNode strategy : experiment.path("strategies")) {
            JsonNode epochs = strategy.path("epochs");
            JsonNode last = epochs.isArray() && epochs.size() > 0 ? epochs.get(epochs.size() - 1) : null;
            int planned = plannedEpochs(strategy);
            int done = last == null ? 0 : last.path("epoch").asInt();
            double progress = strategy.path("progress").isNumber() ? strategy.path("progress").asDouble()
                    : planned > 0 ? (double) done / planned : 0;
            int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * BAR);
            out.append(String.format(Locale.ROOT, "  %-12s %-9s [%s%s] epoch %2d/%-2s", strategy.path("strategy").asText(),
                    strategy.path("state").asText(), "#".repeat(filled), ".".repeat(BAR - filled), done,
                    planned > 0 ? Integer.toString(planned) : "?"));
            if (last != null) {
                out.append(String.format(Locale.ROOT, "  loss %.4f  acc %6.2f%%  %7.1f img/s",
                        last.path("loss").asDouble(), 100 * last.path("trainAccuracy").asDouble(),
                        last.path("imagesPerSecond").asDouble()));
            }
            if (strategy.path("testAccuracy").isNumber()) {
                out.append(String.format(Locale.ROOT, "  test %.2f%%", 100 * strategy.path("testAccuracy").asDouble()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int plannedEpochs(JsonNode strategy) {
        for (JsonNode run : strategy.path("runs")) {
            if (run.path("epochsPlanned").isNumber()) {
                return run.path("epochsPlanned").asInt();
            }
        }
        return 0;
    }
}
