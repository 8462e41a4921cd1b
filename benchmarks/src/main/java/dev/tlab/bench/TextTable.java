package dev.tlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with a header row, columns padded to their widest cell; numbers right-aligned. */
public final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the header " + header.size());
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(cell(c));
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** A number with a precision that suits its magnitude; "-" for a missing value. */
    public static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "-";
            }
            double a = Math.abs(d);
            String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
            return String.format(Locale.ROOT, pattern, d);
        }
        return value.toString();
    }

    /** The table as text, one line per row, with a separator under the header. */
    public String render() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, false);
        for (int i = 0; i < width.length; i++) {
            out.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.append('\n');
        for (List<String> r : rows) {
            line(out, r, width, true);
        }
        return out.toString();
    }

    /** The same table in Markdown (for docs/benchmarks.md). */
    public String markdown() {
        StringBuilder out =
                new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> out.append(" --- |"));
        out.append('\n');
        for (List<String> r : rows) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean alignNumbers) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean right = alignNumbers && isNumeric(c);
            String pad = " ".repeat(width[i] - c.length());
            out.append(i == 0 ? "" : "  ").append(right ? pad + c : c + (i == cells.size() - 1 ? "" : pad));
        }
        out.append('\n');
    }

    static boolean isNumeric(String s) {
        return s.matches("[-+]?[0-9][0-9.,]*(e[-+]?[0-9]+)?[%x]?") || s.equals("-");
    }
}
