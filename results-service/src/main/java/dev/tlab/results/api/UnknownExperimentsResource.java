package dev.tlab.results.api;

import dev.tlab.contracts.api.ApiError;
import dev.tlab.contracts.api.Views;
import dev.tlab.results.domain.ResultsStore;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /unknown-experiments}: training events for experiment ids that no job or cancellation of the dataset
 * service announced. They are kept apart from {@code /experiments} so that a stray producer cannot create experiments
 * stuck in "running"; should their jobs arrive later, the experiment moves to {@code /experiments} with its events.
 */
@Path("/unknown-experiments")
@Tag(name = "experiments")
public class UnknownExperimentsResource {
    private final ResultsStore store;

    public UnknownExperimentsResource(ResultsStore store) {
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Experiment ids named only by training events (no job of the dataset service), most recent first")
    @APIResponse(responseCode = "200", description = "One page of experiment ids with their events")
    @APIResponse(
            responseCode = "400",
            description = Paging.REFUSED,
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Views.Page<Views.UnknownExperiment> list(@BeanParam PageQuery query) {
        Paging paging = query.paging();
        return store.unknown(paging.page(), paging.size());
    }
}
