package dev.tlab.results.api;

import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.domain.Views;
import dev.tlab.results.web.Charts;
import dev.tlab.results.web.Pages;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Everything under {@code /experiments}: the JSON API, the experiment page, its live feed and its SVG charts. */
@Path("/experiments")
@Tag(name = "experiments", description = "Leaderboards of transfer-learning experiments, built from training events")
public class ExperimentsResource {
    @Inject
    ResultsStore store;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Experiments, newest first (by their earliest event), paged")
    @APIResponse(responseCode = "200", description = "One page of experiment summaries")
    @APIResponse(responseCode = "400", description = "page < 0, or size outside 1.." + Paging.MAX_PAGE_SIZE,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Page<Views.Summary> list(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        Paging.check(page, size);
        return store.list(page, size);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One experiment: strategies ranked by test accuracy, epochs, runs per seed, best strategy, dataset")
    @APIResponse(responseCode = "200", description = "The experiment")
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No event about this experiment yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Experiment get(@PathParam("id") String id) {
        return Ids.experiment(store, id);
    }

    @GET
    @Path("/{id}/leaderboard")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The notebook's final table: strategy, test accuracy, trainable and total parameters, ranked, and the best")
    @APIResponse(responseCode = "200", description = "The leaderboard")
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No event about this experiment yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Leaderboard leaderboard(@PathParam("id") String id) {
        return Ids.experiment(store, id).leaderboard();
    }

    @GET
    @Path("/{id}/chart.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "Bar chart of test accuracy per strategy (SVG, as in the notebook)")
    public String chart(@PathParam("id") String id) {
        return Charts.barChart(Ids.experiment(store, id));
    }

    @GET
    @Path("/{id}/curves.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "Per-epoch loss and train accuracy curves per strategy (SVG)")
    public String curves(@PathParam("id") String id) {
        return Charts.curves(Ids.experiment(store, id));
    }

    @GET
    @Path("/{id}/view")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The experiment's web page: leaderboard, charts, progress; updates itself every 2 s")
    public String view(@PathParam("id") String id) {
        return Pages.experiment(Ids.experiment(store, id));
    }

    @GET
    @Path("/{id}/live")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the page polls: the change counter, the state and the rendered panel")
    public Map<String, Object> live(@PathParam("id") String id) {
        Views.Experiment experiment = Ids.experiment(store, id);
        return Map.of("version", experiment.version(), "state", experiment.state(), "html", Pages.panel(experiment));
    }
}
