package dev.tlab.results.web;

import dev.tlab.contracts.api.Views;
import dev.tlab.results.api.Ids;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.messaging.StoreChanges;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    }

    private final ResultsStore store;
    private final StoreChanges changes;

    public Pages(ResultsStore store, StoreChanges changes) {
        this.store = store;
        this.changes = changes;
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
        return Templates.experiment(ExperimentPanel.of(Ids.experiment(store, id)));
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
                .map(changed -> store.find(experimentId))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .skip()
                .repetitions()
                .map(experiment -> sse.newEventBuilder()
                        .name(PANEL_EVENT)
                        .id(String.valueOf(experiment.version()))
                        .mediaType(MediaType.TEXT_HTML_TYPE)
                        .data(Templates.panel(ExperimentPanel.of(experiment)).render())
                        .build());
    }

    /** The panel as the page embeds it, for tests of the templates without a browser. */
    static String panel(Views.Experiment experiment) {
        return Templates.panel(ExperimentPanel.of(experiment)).render();
    }
}
