package dev.tlab.results.web;

import dev.tlab.contracts.Fields;
import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.ApiException;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.api.Ids;
import dev.tlab.results.comparison.Calibration;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.comparison.ConfusionMatrix;
import dev.tlab.results.comparison.ExperimentComparison;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.messaging.StoreChanges;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The web pages and their images, rendered on the server from the Qute templates in {@code templates/Pages/} (the SVG
 * charts inline, no CDN, no external script or font): the list of experiments, an experiment's page, its charts as SVG
 * files, and the page's live stream. The JSON API is {@code api/ExperimentsResource}.
 */
@Path("/")
@Tag(name = "pages", description = "The web page of the experiments, its SVG charts and its live updates")
public class Pages {
    /** The event name of a pushed panel (the page listens to it). */
    static final String PANEL_EVENT = "panel";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(Views.Page<Views.Summary> page);

        static native TemplateInstance experiment(ExperimentPanel panel);

        static native TemplateInstance panel(ExperimentPanel panel);

        static native TemplateInstance bar(BarChart bar);

        static native TemplateInstance curves(CurvesChart curves);

        static native TemplateInstance report(ExperimentReport report);
    }

    /** The page's charts rendered by their templates, for the Markdown report. */
    private static final MarkdownReport.Charts CHARTS = new MarkdownReport.Charts() {
        @Override
        public String bar(BarChart bar) {
            return Templates.bar(bar).render();
        }

        @Override
        public String curves(CurvesChart curves) {
            return Templates.curves(curves).render();
        }

        @Override
        public String heatmap(ConfusionHeatmap heatmap) {
            return ComparisonCharts.heatmap(heatmap);
        }

        @Override
        public String reliability(ReliabilityDiagram diagram) {
            return ComparisonCharts.reliability(diagram);
        }

        @Override
        public String cost(AccuracyCostChart cost) {
            return ComparisonCharts.cost(cost);
        }
    };

    private final ResultsStore store;
    private final StoreChanges changes;
    private final Comparisons comparisons;

    public Pages(ResultsStore store, StoreChanges changes, Comparisons comparisons) {
        this.store = store;
        this.changes = changes;
        this.comparisons = comparisons;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The list of experiments (HTML)")
    public TemplateInstance index() {
        return Templates.index(store.list(0, 200));
    }

    @GET
    @Path("experiments/{id}/view")
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "The experiment's web page: leaderboard, charts, jobs; the server pushes changes (see /events)")
    public TemplateInstance view(@PathParam("id") String id) {
        return Templates.experiment(ExperimentPanel.of(Ids.comparison(comparisons, store, id)));
    }

    @GET
    @Path("experiments/{id}/chart.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "Bar chart of test accuracy per strategy (SVG, as in the notebook)")
    public TemplateInstance chart(@PathParam("id") String id) {
        return Templates.bar(BarChart.of(Ids.experiment(store, id)));
    }

    @GET
    @Path("experiments/{id}/curves.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "Per-epoch loss and train accuracy curves per strategy (SVG)")
    public TemplateInstance curves(@PathParam("id") String id) {
        return Templates.curves(CurvesChart.of(Ids.experiment(store, id)));
    }

    /**
     * Server-sent events for the experiment page: at once, then after every change to the experiment, an event
     * {@value #PANEL_EVENT} whose data is the re-rendered panel (HTML) and whose id is the experiment's version. An
     * unchanged experiment (a duplicate event, a manifest of another experiment) sends nothing.
     */
    @GET
    @Path("experiments/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live updates of the experiment page (server-sent events: the panel's HTML on every change)")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID experimentId = Ids.experiment(store, id).experimentId(); // 400 / 404 before the stream starts
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().item(experimentId), changes.of(experimentId))
                .map(changed -> comparisons.find(experimentId))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .skip()
                .repetitions()
                .map(comparison -> sse.newEventBuilder()
                        .name(PANEL_EVENT)
                        .id(String.valueOf(comparison.experiment().version()))
                        .mediaType(MediaType.TEXT_HTML_TYPE)
                        .data(Templates.panel(ExperimentPanel.of(comparison)).render())
                        .build());
    }

    @GET
    @Path("experiments/{id}/confusion.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "A strategy's confusion matrix as a heat map, its runs pooled (SVG)")
    @APIResponse(responseCode = "200", description = "The chart")
    @APIResponse(
            responseCode = "404",
            description = "No such experiment, or the strategy has no evaluated run",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public String confusion(
            @PathParam("id") String id,
            @Parameter(description = "The strategy", required = true) @QueryParam("strategy") String strategy) {
        ExperimentComparison comparison = Ids.comparison(comparisons, store, id);
        ConfusionMatrix matrix = evaluated(comparison, comparison.matrices(), strategy);
        return ComparisonCharts.heatmap(ConfusionHeatmap.of(strategy, matrix));
    }

    @GET
    @Path("experiments/{id}/reliability.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "A strategy's reliability diagram and expected calibration error, its runs pooled (SVG)")
    @APIResponse(responseCode = "200", description = "The chart")
    @APIResponse(
            responseCode = "404",
            description = "No such experiment, or the strategy has no evaluated run",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public String reliability(
            @PathParam("id") String id,
            @Parameter(description = "The strategy", required = true) @QueryParam("strategy") String strategy) {
        ExperimentComparison comparison = Ids.comparison(comparisons, store, id);
        Calibration calibration = evaluated(comparison, comparison.calibrations(), strategy);
        return ComparisonCharts.reliability(ReliabilityDiagram.of(strategy, calibration));
    }

    @GET
    @Path("experiments/{id}/cost.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "Mean test accuracy against device-seconds per run, per strategy (SVG)")
    @APIResponse(responseCode = "200", description = "The chart")
    @APIResponse(
            responseCode = "404",
            description = "No such experiment, or no run reported its cost yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public String cost(@PathParam("id") String id) {
        ExperimentComparison comparison = Ids.comparison(comparisons, store, id);
        if (comparison.cost() == null) {
            throw ApiException.notFound("id", "no run of experiment " + id + " reported its cost yet");
        }
        return ComparisonCharts.cost(AccuracyCostChart.of(comparison.cost(), comparison.strategyOrder()));
    }

    @GET
    @Path("experiments/{id}/report.html")
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "The experiment's report: one HTML file with every table and chart of its page (SVG inline), the"
                    + " comparison included, readable without network (./lab report)")
    public TemplateInstance reportHtml(@PathParam("id") String id, @Context UriInfo uri) {
        ExperimentComparison comparison = Ids.comparison(comparisons, store, id);
        return Templates.report(new ExperimentReport(
                ExperimentPanel.of(comparison), uri.getBaseUri().toString(), Instant.now()));
    }

    @GET
    @Path("experiments/{id}/report.md")
    @Produces("text/markdown; charset=utf-8")
    @Operation(
            summary = "The experiment's report as one Markdown document: every table, the charts as inline SVG images"
                    + " (./lab report)")
    public String reportMarkdown(@PathParam("id") String id, @Context UriInfo uri) {
        ExperimentComparison comparison = Ids.comparison(comparisons, store, id);
        return MarkdownReport.of(
                ExperimentPanel.of(comparison), uri.getBaseUri().toString(), Instant.now(), CHARTS);
    }

    /** The strategy a chart is asked for: 400 without one, 404 when the experiment has none of that name. */
    /** What the comparison found for a strategy's evaluated runs; 404 while none has been evaluated. */
    private static <T> T evaluated(ExperimentComparison comparison, Map<String, T> byStrategy, String strategy) {
        T found = byStrategy.get(strategy(comparison, strategy));
        if (found == null) {
            throw ApiException.notFound("strategy", "strategy " + strategy + " has no evaluated run yet");
        }
        return found;
    }

    private static String strategy(ExperimentComparison comparison, String strategy) {
        if (strategy == null || strategy.isBlank()) {
            throw ApiException.badRequest("strategy", "name the strategy: ?strategy=NAME");
        }
        if (!comparison.strategyOrder().contains(strategy)) {
            throw ApiException.notFound(
                    "strategy",
                    "experiment " + comparison.experiment().experimentId() + " has no strategy "
                            + Fields.quote(strategy) + "; it has " + comparison.strategyOrder());
        }
        return strategy;
    }

    /** The panel as the page embeds it, for tests of the templates without a browser. */
    static String panel(Views.Experiment experiment) {
        return Templates.panel(ExperimentPanel.of(experiment)).render();
    }
}
