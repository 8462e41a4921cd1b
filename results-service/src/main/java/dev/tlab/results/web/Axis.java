package dev.tlab.results.web;

import java.util.ArrayList;
import java.util.List;

/** Chart arithmetic shared by the bar chart and the curves: round axis ticks and the strategies' colours. */
final class Axis {
    /** The notebook's bar colours first (freeze, partial, full), then more for user strategies. */
    static final List<String> PALETTE = List.of(
            "#3498db", "#2ecc71", "#e74c3c", "#9b59b6", "#f39c12", "#1abc9c", "#34495e", "#e67e22", "#7f8c8d",
            "#c0392b");

    /** One labelled tick of a value axis, at {@code y} in chart coordinates. */
    public record Tick(double y, String label) {
        /** Where the label's baseline goes so that the text is centred on the tick. */
        public double labelY() {
            return y + 4;
        }
    }

    private Axis() {}

    static String color(int index) {
        return PALETTE.get(Math.floorMod(index, PALETTE.size()));
    }

    /**
     * The ticks from 0 to {@code max} of a vertical axis whose value 0 is at {@code bottom} and {@code max} at
     * {@code bottom - height}, labelled with as few decimals as their step needs.
     */
    static List<Tick> vertical(double max, int target, double bottom, double height) {
        List<Double> values = ticks(0, max, target);
        double step = values.size() > 1 ? values.get(1) - values.get(0) : max;
        List<Tick> ticks = new ArrayList<>();
        for (double value : values) {
            if (value <= max + 1e-9) {
                ticks.add(new Tick(bottom - value / max * height, tickLabel(value, step)));
            }
        }
        return ticks;
    }

    /** Round tick values from 0 (or {@code min}) to at least {@code max}: steps of 1, 2 or 5 times a power of ten. */
    static List<Double> ticks(double min, double max, int target) {
        double span = Math.max(max - min, 1e-9);
        double raw = span / Math.max(target, 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double factor : new double[] {1, 2, 5, 10}) {
            step = factor * magnitude;
            if (step >= raw) {
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        double start = Math.floor(min / step) * step;
        for (double t = start; t <= max + step * 1e-6; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return ticks;
    }

    /** A tick label with as few decimals as its step needs. */
    static String tickLabel(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step));
        return Formats.fixed(value, Math.min(decimals, 6));
    }
}
