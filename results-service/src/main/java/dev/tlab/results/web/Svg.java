package dev.tlab.results.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small helpers for hand-written SVG and HTML: escaping, number formatting, axis ticks, colours. */
final class Svg {
    /** The notebook's bar colours first (freeze, partial, full), then more for user strategies. */
    static final List<String> PALETTE = List.of("#3498db", "#2ecc71", "#e74c3c", "#9b59b6", "#f39c12", "#1abc9c",
            "#34495e", "#e67e22", "#7f8c8d", "#c0392b");

    private Svg() {
    }

    static String color(int index) {
        return PALETTE.get(Math.floorMod(index, PALETTE.size()));
    }

    /** Escapes text for XML/HTML content and attribute values. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A coordinate with one decimal, locale-independent. */
    static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
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
        return fixed(value, Math.min(decimals, 6));
    }
}
