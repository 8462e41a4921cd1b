package dev.tlab.results.api;

import dev.tlab.contracts.api.Views;
import dev.tlab.results.domain.ResultsStore;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    public Views.Page<Views.UnknownExperiment> list(
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        Paging.check(page, size);
        return store.unknown(page, size);
    }
}
