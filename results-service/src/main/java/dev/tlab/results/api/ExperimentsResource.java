package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.comparison.Comparisons;
import dev.tlab.results.domain.ResultsStore;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The JSON API under {@code /experiments}; the pages, charts and live stream are {@code web/Pages}. */
@Path("/") // not "/experiments": web/Pages serves pages under /experiments too, and a class path would shadow it
@Tag(name = "experiments", description = "Leaderboards of transfer-learning experiments, built from training events")
public class ExperimentsResource {
    static final String PAGE = "The page, from 0 (default 0); a page past the last one is empty";
    static final String SIZE =
            "Items per page, 1.." + Paging.MAX_PAGE_SIZE + " (default " + Paging.DEFAULT_PAGE_SIZE + ")";

    private final ResultsStore store;
    private final Comparisons comparisons;

    public ExperimentsResource(ResultsStore store, Comparisons comparisons) {
        this.store = store;
        this.comparisons = comparisons;
    }

    @GET
    @Path("experiments")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Experiments, newest first (by their earliest event), paged")
    @APIResponse(responseCode = "200", description = "One page of experiment summaries")
    @APIResponse(
            responseCode = "400",
            description = Paging.REFUSED,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Page<Views.Summary> list(@BeanParam PageQuery query) {
        Paging paging = query.paging();
        return store.list(paging.page(), paging.size());
    }

    @GET
    @Path("experiments/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "One experiment: strategies ranked by test accuracy, epochs, runs per seed, best strategy, dataset")
    @APIResponse(responseCode = "200", description = "The experiment")
    @APIResponse(
            responseCode = "400",
            description = "The id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "404",
            description = "No event about this experiment yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Experiment get(@PathParam("id") String id) {
        return Ids.comparison(comparisons, store, id).experiment();
    }

    @GET
    @Path("experiments/{id}/leaderboard")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "The notebook's final table: strategy, test accuracy, trainable and total parameters, ranked, the best,"
                            + " and the verdict on whether the best is significantly better than the runner-up")
    @APIResponse(responseCode = "200", description = "The leaderboard")
    @APIResponse(
            responseCode = "400",
            description = "The id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "404",
            description = "No event about this experiment yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Leaderboard leaderboard(@PathParam("id") String id) {
        return Ids.comparison(comparisons, store, id).experiment().leaderboard();
    }

    @GET
    @Path("experiments/{id}/comparison")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The comparison beyond the notebook's table: whether the leader is significantly better,"
                    + " per-class results and confusion matrices, calibration, paired tests between strategies, cost")
    @APIResponse(responseCode = "200", description = "The comparison (its parts empty or null until runs completed)")
    @APIResponse(
            responseCode = "400",
            description = "The id is not a UUID",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "404",
            description = "No event about this experiment yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Comparison comparison(@PathParam("id") String id) {
        return Ids.comparison(comparisons, store, id).comparison();
    }
}
