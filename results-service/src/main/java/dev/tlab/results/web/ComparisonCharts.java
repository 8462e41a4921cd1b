package dev.tlab.results.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The comparison's SVG charts, rendered on the server from {@code templates/ComparisonCharts/} like the bar chart and
 * the curves: a confusion-matrix heat map and a reliability diagram per strategy, and accuracy against cost. Text from
 * messages (class and strategy names) is escaped by Qute, since {@code .svg} is one of the escaped content types
 * ({@code quarkus.qute.escape-content-types}).
 */
public final class ComparisonCharts {
    private ComparisonCharts() {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance heatmap(ConfusionHeatmap heatmap);

        static native TemplateInstance reliability(ReliabilityDiagram diagram);

        static native TemplateInstance cost(AccuracyCostChart cost);
    }

    public static String heatmap(ConfusionHeatmap heatmap) {
        return Templates.heatmap(heatmap).render();
    }

    public static String reliability(ReliabilityDiagram diagram) {
        return Templates.reliability(diagram).render();
    }

    public static String cost(AccuracyCostChart cost) {
        return Templates.cost(cost).render();
    }
}
