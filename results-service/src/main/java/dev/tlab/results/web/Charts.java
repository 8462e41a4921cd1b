package dev.tlab.results.web;

import static dev.tlab.results.web.Svg.esc;
import static dev.tlab.results.web.Svg.n;

import dev.tlab.results.domain.Views;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side SVG charts, self-contained (no fonts, scripts or images fetched): the notebook's bar chart of test
 * accuracy per strategy, and the per-epoch loss and train-accuracy curves.
 */
public final class Charts {
    public static final String BAR_TITLE = "Transfer Learning Strategy Comparison";
    public static final String BAR_Y_LABEL = "Test Accuracy (%)";

    private Charts() {
    }

    /**
     * One bar per strategy with a result (mean over seeds), its value printed above it as the notebook does
     * ({@code 83.12%}); with several seeds the 95% interval is drawn as an error bar. The y axis runs to 1.15 times
     * the best value, as in the notebook.
     */
    public static String barChart(Views.Experiment experiment) {
        final double width = 800;
        final double height = 480;
        final double left = 80;
        final double right = 30;
        final double top = 70;
        final double bottom = 80;
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        List<Views.Strategy> strategies = experiment.strategies();
        List<Integer> withResult = new ArrayList<>();
        double maxValue = 0;
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            if (s.testAccuracy() != null) {
                withResult.add(i);
                maxValue = Math.max(maxValue, s.testAccuracy() * 100);
                if (s.ci95High() != null) {
                    maxValue = Math.max(maxValue, Math.min(100, s.ci95High() * 100));
                }
            }
        }
        double yMax = maxValue > 0 ? maxValue * 1.15 : 100;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bar-chart\" width=\"").append(n(width))
                .append("\" height=\"").append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ')
                .append(n(height)).append("\" role=\"img\" aria-label=\"").append(esc(BAR_TITLE)).append("\"")
                .append(" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(n(width)).append("\" height=\"").append(n(height))
                .append("\" fill=\"#ffffff\"/>\n");
        svg.append("<text class=\"title\" x=\"").append(n(width / 2)).append("\" y=\"30\" text-anchor=\"middle\"")
                .append(" font-size=\"18\" font-weight=\"bold\">").append(esc(BAR_TITLE)).append("</text>\n");
        if (experiment.synthetic()) {
            svg.append("<text class=\"synthetic-note\" x=\"").append(n(width / 2))
                    .append("\" y=\"52\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#c0392b\">")
                    .append("SYNTHETIC DATA (").append(esc(experiment.dataset())).append("), not CIFAR-10</text>\n");
        }
        // grid and y axis
        List<Double> ticks = Svg.ticks(0, yMax, 6);
        double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : yMax;
        for (double tick : ticks) {
            if (tick > yMax + 1e-9) {
                continue;
            }
            double y = top + plotHeight - tick / yMax * plotHeight;
            svg.append("<line class=\"grid\" x1=\"").append(n(left)).append("\" x2=\"").append(n(left + plotWidth))
                    .append("\" y1=\"").append(n(y)).append("\" y2=\"").append(n(y))
                    .append("\" stroke=\"#000000\" stroke-opacity=\"0.3\" stroke-dasharray=\"4 4\"/>\n");
            svg.append("<text x=\"").append(n(left - 8)).append("\" y=\"").append(n(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"12\">").append(Svg.tickLabel(tick, step)).append("</text>\n");
        }
        svg.append("<line x1=\"").append(n(left)).append("\" x2=\"").append(n(left)).append("\" y1=\"").append(n(top))
                .append("\" y2=\"").append(n(top + plotHeight)).append("\" stroke=\"#000000\"/>\n");
        svg.append("<line x1=\"").append(n(left)).append("\" x2=\"").append(n(left + plotWidth)).append("\" y1=\"")
                .append(n(top + plotHeight)).append("\" y2=\"").append(n(top + plotHeight)).append("\" stroke=\"#000000\"/>\n");
        double labelX = 22;
        double labelY = top + plotHeight / 2;
        svg.append("<text class=\"y-label\" x=\"").append(n(labelX)).append("\" y=\"").append(n(labelY))
                .append("\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" transform=\"rotate(-90 ")
                .append(n(labelX)).append(' ').append(n(labelY)).append(")\">").append(esc(BAR_Y_LABEL)).append("</text>\n");
        if (withResult.isEmpty()) {
            svg.append("<text class=\"empty\" x=\"").append(n(left + plotWidth / 2)).append("\" y=\"")
                    .append(n(top + plotHeight / 2)).append("\" text-anchor=\"middle\" font-size=\"14\" fill=\"#555555\">")
                    .append("No strategy has finished yet</text>\n");
        }
        double slot = plotWidth / Math.max(1, withResult.size());
        double barWidth = Math.min(160, slot * 0.6);
        for (int k = 0; k < withResult.size(); k++) {
            int index = withResult.get(k);
            Views.Strategy s = strategies.get(index);
            double value = s.testAccuracy() * 100;
            double x = left + slot * k + (slot - barWidth) / 2;
            double barHeight = value / yMax * plotHeight;
            double y = top + plotHeight - barHeight;
            String label = Svg.fixed(value, 2) + "%";
            svg.append("<rect class=\"bar\" data-strategy=\"").append(esc(s.strategy())).append("\" data-value=\"")
                    .append(Svg.fixed(value, 2)).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
                    .append("\" width=\"").append(n(barWidth)).append("\" height=\"").append(n(barHeight))
                    .append("\" fill=\"").append(Svg.color(index))
                    .append("\" fill-opacity=\"0.8\" stroke=\"#000000\" stroke-width=\"1.5\"><title>")
                    .append(esc(s.strategy())).append(": ").append(label).append("</title></rect>\n");
            double labelTop = y;
            if (s.ci95Low() != null && s.ci95High() != null) {
                double cx = x + barWidth / 2;
                double yLow = top + plotHeight - Math.max(0, s.ci95Low() * 100) / yMax * plotHeight;
                double yHigh = top + plotHeight - Math.min(100, s.ci95High() * 100) / yMax * plotHeight;
                svg.append("<g class=\"ci95\" stroke=\"#000000\" stroke-width=\"1.5\"><line x1=\"").append(n(cx))
                        .append("\" x2=\"").append(n(cx)).append("\" y1=\"").append(n(yLow)).append("\" y2=\"")
                        .append(n(yHigh)).append("\"/><line x1=\"").append(n(cx - 8)).append("\" x2=\"").append(n(cx + 8))
                        .append("\" y1=\"").append(n(yLow)).append("\" y2=\"").append(n(yLow)).append("\"/><line x1=\"")
                        .append(n(cx - 8)).append("\" x2=\"").append(n(cx + 8)).append("\" y1=\"").append(n(yHigh))
                        .append("\" y2=\"").append(n(yHigh)).append("\"/></g>\n");
                labelTop = Math.min(labelTop, yHigh);
            }
            svg.append("<text class=\"bar-value\" x=\"").append(n(x + barWidth / 2)).append("\" y=\"")
                    .append(n(labelTop - 6)).append("\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">")
                    .append(label).append("</text>\n");
            svg.append("<text class=\"bar-label\" x=\"").append(n(x + barWidth / 2)).append("\" y=\"")
                    .append(n(top + plotHeight + 20)).append("\" text-anchor=\"middle\" font-size=\"13\">")
                    .append(esc(s.strategy())).append("</text>\n");
            if (s.completedSeeds() > 1) {
                svg.append("<text x=\"").append(n(x + barWidth / 2)).append("\" y=\"").append(n(top + plotHeight + 38))
                        .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555555\">mean of ")
                        .append(s.completedSeeds()).append(" seeds, 95% CI</text>\n");
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Two panels: loss per epoch and train accuracy (%) per epoch, one line per job, coloured by strategy. */
    public static String curves(Views.Experiment experiment) {
        final double width = 1000;
        final double height = 400;
        final double panelWidth = 420; // two panels with their 70 px axis margins fit in the 1000 px width
        final double top = 70;
        final double bottom = 50;
        double plotHeight = height - top - bottom;
        List<Views.Strategy> strategies = experiment.strategies();
        int maxEpoch = 1;
        double maxLoss = 0;
        for (Views.Strategy s : strategies) {
            for (Views.Run run : s.runs()) {
                if (run.epochsPlanned() != null) {
                    maxEpoch = Math.max(maxEpoch, run.epochsPlanned());
                }
                for (Views.Epoch e : run.epochs()) {
                    maxEpoch = Math.max(maxEpoch, e.epoch());
                    maxLoss = Math.max(maxLoss, e.loss());
                }
            }
        }
        double lossMax = maxLoss > 0 ? maxLoss * 1.1 : 1;
        StringBuilder svg = new StringBuilder(8192);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart curves\" width=\"").append(n(width))
                .append("\" height=\"").append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ')
                .append(n(height)).append("\" role=\"img\" aria-label=\"Per-epoch loss and train accuracy\"")
                .append(" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(n(width)).append("\" height=\"").append(n(height))
                .append("\" fill=\"#ffffff\"/>\n");
        // legend
        double legendX = 80;
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            svg.append("<rect x=\"").append(n(legendX)).append("\" y=\"12\" width=\"14\" height=\"14\" fill=\"")
                    .append(Svg.color(i)).append("\"/><text x=\"").append(n(legendX + 20))
                    .append("\" y=\"24\" font-size=\"13\">").append(esc(s.strategy())).append(" (").append(esc(s.state()))
                    .append(")</text>\n");
            legendX += 40 + 9 * (s.strategy().length() + s.state().length());
        }
        panel(svg, "Loss per epoch", 70, top, panelWidth, plotHeight, maxEpoch, lossMax, strategies, false);
        panel(svg, "Train accuracy (%) per epoch", 70 + panelWidth + 70, top, panelWidth, plotHeight, maxEpoch, 100,
                strategies, true);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, String title, double left, double top, double w, double h,
            int maxEpoch, double yMax, List<Views.Strategy> strategies, boolean accuracy) {
        svg.append("<g class=\"panel\">\n");
        svg.append("<text x=\"").append(n(left + w / 2)).append("\" y=\"").append(n(top - 14))
                .append("\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">").append(esc(title)).append("</text>\n");
        List<Double> ticks = Svg.ticks(0, yMax, 5);
        double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : yMax;
        for (double tick : ticks) {
            if (tick > yMax + 1e-9) {
                continue;
            }
            double y = top + h - tick / yMax * h;
            svg.append("<line x1=\"").append(n(left)).append("\" x2=\"").append(n(left + w)).append("\" y1=\"").append(n(y))
                    .append("\" y2=\"").append(n(y)).append("\" stroke=\"#000000\" stroke-opacity=\"0.2\" stroke-dasharray=\"4 4\"/>")
                    .append("<text x=\"").append(n(left - 6)).append("\" y=\"").append(n(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(Svg.tickLabel(tick, step)).append("</text>\n");
        }
        double xStep = maxEpoch > 1 ? w / (maxEpoch - 1) : 0;
        int every = Math.max(1, (int) Math.ceil(maxEpoch / 10.0));
        for (int epoch = 1; epoch <= maxEpoch; epoch += every) {
            double x = maxEpoch > 1 ? left + (epoch - 1) * xStep : left + w / 2;
            svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(top + h + 16))
                    .append("\" text-anchor=\"middle\" font-size=\"11\">").append(epoch).append("</text>\n");
        }
        svg.append("<text x=\"").append(n(left + w / 2)).append("\" y=\"").append(n(top + h + 34))
                .append("\" text-anchor=\"middle\" font-size=\"12\">Epoch</text>\n");
        svg.append("<rect x=\"").append(n(left)).append("\" y=\"").append(n(top)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"none\" stroke=\"#000000\"/>\n");
        for (int i = 0; i < strategies.size(); i++) {
            Views.Strategy s = strategies.get(i);
            for (int r = 0; r < s.runs().size(); r++) {
                Views.Run run = s.runs().get(r);
                if (run.epochs().isEmpty()) {
                    continue;
                }
                StringBuilder points = new StringBuilder();
                StringBuilder dots = new StringBuilder();
                for (Views.Epoch e : run.epochs()) {
                    double value = accuracy ? e.trainAccuracy() * 100 : e.loss();
                    double x = maxEpoch > 1 ? left + (e.epoch() - 1) * xStep : left + w / 2;
                    double y = top + h - Math.min(value, yMax) / yMax * h;
                    points.append(n(x)).append(',').append(n(y)).append(' ');
                    dots.append("<circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y)).append("\" r=\"3\" fill=\"")
                            .append(Svg.color(i)).append("\"><title>").append(esc(s.strategy())).append(" seed ")
                            .append(run.seed()).append(", epoch ").append(e.epoch()).append(": ")
                            .append(accuracy ? Svg.fixed(value, 2) + "%" : Svg.fixed(value, 4)).append("</title></circle>");
                }
                svg.append("<polyline class=\"curve\" data-strategy=\"").append(esc(s.strategy())).append("\" data-seed=\"")
                        .append(run.seed()).append("\" points=\"").append(points.toString().trim())
                        .append("\" fill=\"none\" stroke=\"").append(Svg.color(i)).append("\" stroke-width=\"2\"")
                        .append(r > 0 ? " stroke-dasharray=\"6 3\"" : "").append("/>\n").append(dots).append('\n');
            }
        }
        svg.append("</g>\n");
    }
}
