package dev.tlab.results.web;

import dev.tlab.results.comparison.ConfusionMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a strategy's confusion matrix as a heat map, drawn by {@code templates/ComparisonCharts/heatmap.svg}:
 * true classes down the left, predicted classes along the bottom (names at 45 degrees), one cell per pair shaded by its
 * share of the row (pairs without an image are left white, under the grid's lines) (the true class's images), so a
 * class with few test images reads like one with many. Cells shrink from 60 px (up to 10 classes) to 12 px (50 classes
 * and more), so the grid stays within 600 px up to 50 classes; the count is written in a cell while it is at least
 * {@value #MIN_CELL_FOR_COUNTS} px wide, and every cell names its pair, count and share when hovered. Class names
 * longer than {@value #MAX_LABEL_CHARS} characters are shortened on the axes (whole when hovered).
 */
public record ConfusionHeatmap(
        double width,
        double height,
        String title,
        double left,
        double top,
        double cell,
        double grid,
        double fontSize,
        double predictedTitleY,
        List<Label> trueLabels,
        List<Label> predictedLabels,
        List<Cell> cells,
        List<LegendStep> legend) {
    static final double MAX_GRID = 600;
    static final double MAX_CELL = 60;
    static final double MIN_CELL = 12;
    static final double MIN_CELL_FOR_COUNTS = 24;
    static final int MAX_LABEL_CHARS = 24;
    /** The shade of a full row; lighter shares are this colour at lower opacity on white. */
    static final String SHADE = "#1f4e9c";

    /** A class name on an axis: {@code text} as drawn (perhaps shortened), {@code name} in full. */
    public record Label(double x, double y, String text, String name) {}

    /**
     * One cell: the images of true class {@code trueClass} predicted as {@code predictedClass}; {@code opacity} is the
     * row share, {@code showCount} whether the count fits inside.
     */
    public record Cell(
            int trueClass,
            int predictedClass,
            double x,
            double y,
            long count,
            String share,
            double opacity,
            String textColor,
            boolean showCount,
            String title) {}

    /** One step of the shading legend. */
    public record LegendStep(double x, double y, double opacity, String label) {}

    public double bottom() {
        return top + grid;
    }

    public double right() {
        return left + grid;
    }

    public double centerX() {
        return left + grid / 2;
    }

    public double middleY() {
        return top + grid / 2;
    }

    public double cellCenter(double position) {
        return position + cell / 2;
    }

    /** Baseline of a cell's count: centred vertically. */
    public double countY(Cell c) {
        return c.y() + cell / 2 + fontSize * 0.35;
    }

    public String shade() {
        return SHADE;
    }

    public static ConfusionHeatmap of(String strategy, ConfusionMatrix matrix) {
        int n = matrix.size();
        double cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(MAX_GRID / n)));
        double grid = cell * n;
        double fontSize = Math.max(8, Math.min(12, Math.floor(cell * 0.6)));
        double labelWidth = 0;
        List<String> shown = new ArrayList<>();
        for (String name : matrix.classes()) {
            String text = shorten(name);
            shown.add(text);
            labelWidth = Math.max(labelWidth, textWidth(text, fontSize));
        }
        double left = 40 + labelWidth + 8; // the axis title, the longest name, a gap
        double top = 60;
        // names at 45 degrees below the grid take their width times sin 45 in height
        double below = labelWidth * Math.sqrt(0.5) + fontSize + 40;
        double width = Math.max(left + grid + 30, 360);
        double predictedTitleY = top + grid + below - 10;
        double height = top + grid + below + 40;

        List<Label> trueLabels = new ArrayList<>();
        List<Label> predictedLabels = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double y = top + t * cell;
            trueLabels.add(new Label(
                    left - 6,
                    y + cell / 2 + fontSize * 0.35,
                    shown.get(t),
                    matrix.classes().get(t)));
            predictedLabels.add(new Label(
                    left + t * cell + cell / 2,
                    top + grid + 8,
                    shown.get(t),
                    matrix.classes().get(t)));
            long support = matrix.support(t);
            for (int p = 0; p < n; p++) {
                double share = matrix.rowFraction(t, p);
                long count = matrix.count(t, p);
                String percent = Formats.fixed(share * 100, 1) + "%";
                String title = "true " + matrix.classes().get(t) + ", predicted "
                        + matrix.classes().get(p) + ": " + count
                        + (support == 0 ? " (no test image of this class)" : " (" + percent + " of the row)");
                cells.add(new Cell(
                        t,
                        p,
                        left + p * cell,
                        y,
                        count,
                        percent,
                        share,
                        share > 0.5 ? "#ffffff" : "#000000",
                        cell >= MIN_CELL_FOR_COUNTS,
                        title));
            }
        }
        List<LegendStep> legend = new ArrayList<>();
        double legendY = height - 30;
        for (int i = 0; i <= 4; i++) {
            legend.add(new LegendStep(left + i * 48, legendY, i / 4.0, (i * 25) + "%"));
        }
        return new ConfusionHeatmap(
                width,
                height,
                "Confusion matrix: " + strategy,
                left,
                top,
                cell,
                grid,
                fontSize,
                predictedTitleY,
                trueLabels,
                predictedLabels,
                cells,
                legend);
    }

    /**
     * The name as drawn on an axis: at most {@value #MAX_LABEL_CHARS} characters, cut in the middle (an ellipsis there)
     * so that both the start and the end survive: classes often differ only at the end ({@code ...-cat-01},
     * {@code ...-cat-02}).
     */
    static String shorten(String name) {
        int length = name.codePointCount(0, name.length());
        if (length <= MAX_LABEL_CHARS) {
            return name;
        }
        int head = (MAX_LABEL_CHARS - 1) / 2;
        int tail = MAX_LABEL_CHARS - 1 - head;
        return name.substring(0, name.offsetByCodePoints(0, head)) + "\u2026"
                + name.substring(name.offsetByCodePoints(0, length - tail));
    }

    /**
     * The lines between the cells as one SVG path: empty cells are not drawn (a matrix of 50 classes is mostly empty),
     * so the grid is drawn on its own.
     */
    public String gridPath() {
        StringBuilder d = new StringBuilder();
        int n = (int) Math.round(grid / cell);
        for (int i = 1; i < n; i++) {
            double offset = i * cell;
            d.append("M").append(Formats.n(left)).append(' ').append(Formats.n(top + offset));
            d.append("H").append(Formats.n(left + grid));
            d.append("M").append(Formats.n(left + offset)).append(' ').append(Formats.n(top));
            d.append("V").append(Formats.n(top + grid));
        }
        return d.toString();
    }

    /** A generous estimate of a text's width in a sans-serif font: 0.62 em a character. */
    static double textWidth(String text, double fontSize) {
        return text.codePointCount(0, text.length()) * fontSize * 0.62;
    }
}
